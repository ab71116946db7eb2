package sqlsrc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ciam-import/ciam-import/importer/source"
)

// cursorPrefix starts every cursor: "sqlsrc:1:" then the ordinal of the
// last row read, its key class and its key value, colon separated:
//
//	sqlsrc:1:1234:int:1000042
//	sqlsrc:1:7:text:zoë@example.com   (the key is the rest, colons and all)
const cursorPrefix = "sqlsrc:1:"

// position is where a read stands: after the row with key (ordinal n), or
// at the start (n == 0).
type position struct {
	n     int64
	class keyClass
	key   string
}

// cursor returns the opaque cursor for p.
func (p position) cursor() string {
	return cursorPrefix + strconv.FormatInt(p.n, 10) + ":" + string(p.class) + ":" + p.key
}

// parseCursor reads a cursor made by position.cursor for a key of class c.
// "" is the start. A cursor of another form is ErrCursor; one made for a key
// of another class (the key column's type changed) is ErrChanged.
func parseCursor(s string, c keyClass) (position, error) {
	if s == "" {
		return position{class: c}, nil
	}
	rest, ok := strings.CutPrefix(s, cursorPrefix)
	parts := strings.SplitN(rest, ":", 3)
	if !ok || len(parts) != 3 {
		return position{}, fmt.Errorf("%w: not a database cursor", source.ErrCursor)
	}
	n, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || n < 1 {
		return position{}, fmt.Errorf("%w: bad row number %q", source.ErrCursor, parts[0])
	}
	p := position{n: n, class: keyClass(parts[1]), key: parts[2]}
	switch {
	case p.class != keyInt && p.class != keyText && p.class != keyUUID:
		return position{}, fmt.Errorf("%w: unknown key class %q", source.ErrCursor, parts[1])
	case p.class != c:
		return position{}, fmt.Errorf("%w: the cursor is for a %s key, the key column is now %s", source.ErrChanged, p.class, c)
	case !validKey(c, p.key):
		return position{}, fmt.Errorf("%w: %q is not a %s key", source.ErrCursor, p.key, c)
	}
	return p, nil
}

// validKey reports whether s can be a key of class c, so that a query with
// it cannot fail on its type: canonical integers, canonical uuids, any text.
func validKey(c keyClass, s string) bool {
	switch c {
	case keyInt:
		d := strings.TrimPrefix(s, "-")
		if d == "" || len(d) > 20 || (len(d) > 1 && d[0] == '0') || d == "0" && s != d {
			return false
		}
		return strings.Trim(d, "0123456789") == ""
	case keyUUID:
		return len(s) == 36 && strings.Count(s, "-") == 4 && s[8] == '-' && s[13] == '-' && s[18] == '-' &&
			s[23] == '-' && strings.Trim(s, "0123456789abcdef-") == ""
	}
	return true
}
