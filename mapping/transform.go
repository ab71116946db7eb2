package mapping

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// step is one transform. On list parameters it runs on every element, except
// defaultStep, which fills an empty list. name is the transform's name in
// the mapping, for errors.
type step interface {
	apply(s string) string
	name() string
}

// trimStep removes leading and trailing white space.
type trimStep struct{}

func (trimStep) name() string { return "trim" }

func (trimStep) apply(s string) string { return strings.TrimSpace(s) }

// trimCharsStep removes leading and trailing characters of a cut set.
type trimCharsStep struct{ cutset string }

func (trimCharsStep) name() string { return "trim" }

func (t trimCharsStep) apply(s string) string { return strings.Trim(s, t.cutset) }

// lowerStep lower-cases (Unicode-aware).
type lowerStep struct{}

func (lowerStep) name() string { return "lower" }

func (lowerStep) apply(s string) string { return Lower(s) }

// Lower is strings.ToLower(s), with a fast path for text that is already
// lower-case ASCII (most identifiers): it is returned as it is, found so
// eight bytes at a time. The duplicate table lower-cases emails with it.
func Lower(s string) string {
	if lowerASCII(s) {
		return s
	}
	return strings.ToLower(s)
}

// lowerASCII says s is ASCII without an upper-case letter. Every lane of
// a word below 0x80 stays below 0x100 when 0x3f or 0x25 is added to it,
// so the top bit of lane+0x3f says lane >= 'A' and that of lane+0x25 says
// lane > 'Z', with no carry into the next lane.
func lowerASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := word8(s[i:])
		if (w|(w+0x3f*ones)&^(w+0x25*ones))&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// upperStep upper-cases (Unicode-aware).
type upperStep struct{}

func (upperStep) name() string { return "upper" }

func (upperStep) apply(s string) string { return strings.ToUpper(s) }

// collapseStep trims and turns every run of white space (including line
// breaks) into one space.
type collapseStep struct{}

func (collapseStep) name() string { return "collapse_spaces" }

func (collapseStep) apply(s string) string {
	if !needsCollapse(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// needsCollapse reports whether collapseStep would change s.
func needsCollapse(s string) bool {
	prevSpace := true
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (prevSpace || r != ' ') {
			return true
		}
		prevSpace = space
	}
	return prevSpace && s != ""
}

// defaultStep replaces an empty value.
type defaultStep struct{ v string }

func (defaultStep) name() string { return "default" }

func (d defaultStep) apply(s string) string {
	if s == "" {
		return d.v
	}
	return s
}

// regexStep replaces every match of re with repl ($1 expands groups).
type regexStep struct {
	re     *regexp.Regexp
	repl   string
	pieces []string // repl cut before each reference (splitRefs)
}

func (regexStep) name() string { return "regex_replace" }

// apply is re.ReplaceAllString(s, repl), built one reference at a time so
// that it stops as soon as the output passes outputBound(s): it then
// returns a string just past the bound (by at most len(repl)+len(s)), which
// the caller refuses, never gigabytes.
func (r regexStep) apply(s string) string {
	limit := outputBound(s)
	var out []byte
	last := 0
	for _, m := range r.re.FindAllStringSubmatchIndex(s, -1) {
		out = append(out, s[last:m[0]]...)
		last = m[1]
		for _, p := range r.pieces {
			if out = r.re.ExpandString(out, p, s, m); len(out) > limit {
				return string(out)
			}
		}
	}
	return string(append(out, s[last:]...))
}

// splitRefs cuts a replacement template before every reference ($1, ${x},
// $name; "$$" is a literal dollar and stays), so each piece expands to at
// most its own length plus one match. Expanding the pieces in turn is
// expanding the whole: a name ends at the first character that cannot be in
// it, and '$' cannot.
func splitRefs(repl string) []string {
	var pieces []string
	start := 0
	for i := 0; i < len(repl); i++ {
		switch {
		case repl[i] != '$':
		case i+1 < len(repl) && repl[i+1] == '$':
			i++
		case i > start:
			pieces = append(pieces, repl[start:i])
			start = i
		}
	}
	if start < len(repl) {
		pieces = append(pieces, repl[start:])
	}
	return pieces
}

// truncateStep keeps at most n characters (runes).
type truncateStep struct{ n int }

func (truncateStep) name() string { return "truncate" }

func (t truncateStep) apply(s string) string {
	if len(s) <= t.n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < t.n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	return s[:i]
}
