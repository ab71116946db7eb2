package sqlsrc

import "strings"

// trimQuery drops what follows a query's last token: white space, comments
// (-- to the end of the line, /* ... */) and statement-ending semicolons, so
// that "SELECT ...; -- the users" can be wrapped as a subquery. Quoted text
// ('...', "...", `...`, $tag$...$tag$) is never cut. The lexer errs on the
// side of keeping text: what it does not recognise as a comment is kept.
func trimQuery(q string) string {
	return q[:lastToken(q)]
}

// lastToken is the end of q's last token that is not white space, a
// comment or a semicolon.
func lastToken(q string) int {
	end := 0
	for i := 0; i < len(q); {
		next, significant := scanToken(q, i)
		if significant {
			end = next
		}
		i = next
	}
	return end
}

// scanToken returns the end of the token at i and whether it counts.
func scanToken(q string, i int) (int, bool) {
	c := q[i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ';':
		return i + 1, false
	case strings.HasPrefix(q[i:], "--"):
		if n := strings.IndexByte(q[i:], '\n'); n >= 0 {
			return i + n + 1, false
		}
		return len(q), false
	case strings.HasPrefix(q[i:], "/*"):
		return blockComment(q, i), false
	case c == '\'' || c == '"' || c == '`':
		return quoted(q, i, c), true
	case c == '$':
		if tag := dollarTag(q, i); tag != "" {
			if n := strings.Index(q[i+len(tag):], tag); n >= 0 {
				return i + len(tag) + n + len(tag), true
			}
			return len(q), true
		}
	}
	return i + 1, true
}

// quoted is the end of the quoted text opening at i with quote (a doubled
// quote and a backslash escape stay inside), or len(q).
func quoted(q string, i int, quote byte) int {
	for j := i + 1; j < len(q); j++ {
		switch q[j] {
		case '\\':
			j++
		case quote:
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

// blockComment is the end of the (nested, as PostgreSQL nests them) block
// comment opening at i, or len(q).
func blockComment(q string, i int) int {
	depth := 0
	for j := i; j+1 < len(q); j++ {
		switch q[j : j+2] {
		case "/*":
			depth++
			j++
		case "*/":
			if depth--; depth == 0 {
				return j + 2
			}
			j++
		}
	}
	return len(q)
}

// dollarTag is the PostgreSQL dollar quote ($$ or $tag$) opening at i, or "".
func dollarTag(q string, i int) string {
	if i > 0 && isIdent(q[i-1]) {
		return "" // a$b$ is a name, $1 a parameter
	}
	for j := i + 1; j < len(q); j++ {
		switch {
		case q[j] == '$':
			return q[i : j+1]
		case !isIdent(q[j]) || (j == i+1 && q[j] >= '0' && q[j] <= '9'):
			return ""
		}
	}
	return ""
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
