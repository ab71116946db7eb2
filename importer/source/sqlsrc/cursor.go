package sqlsrc

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/ciam-import/ciam-import/importer/source"
)

// Cursor prefixes. A cursor is "sqlsrc:2:" then the ordinal of the last row
// read (the number of rows passed), the sum of the passed keys' hashes (16
// hex digits, see keyHash), the key class and the key value, colon
// separated:
//
//	sqlsrc:2:1234:0f3a9c2e11d04b7a:int:1000042
//	sqlsrc:2:7:00c1d2e3f4a5b6c7:text:zoë@example.com   (the key is the rest, colons and all)
//
// "sqlsrc:1:" cursors (no sum) from earlier versions are still read: their
// resume checks the count only.
const (
	cursorPrefix   = "sqlsrc:2:"
	cursorPrefixV1 = "sqlsrc:1:"
)

// position is where a read stands: after the row with key (ordinal n), or
// at the start (n == 0). sum is the sum of keyHash over the n keys passed,
// modulo 2^64; summed is false for a version 1 cursor, which has none.
type position struct {
	n      int64
	class  keyClass
	key    string
	sum    uint64
	summed bool
}

// cursor returns the opaque cursor for p, which must be summed.
func (p position) cursor() string {
	return cursorPrefix + strconv.FormatInt(p.n, 10) + ":" + fmt.Sprintf("%016x", p.sum) + ":" + string(p.class) + ":" + p.key
}

// after returns the position after p at the next row, with key.
func (p position) after(key string) position {
	return position{n: p.n + 1, class: p.class, key: key, sum: p.sum + keyHash(key), summed: true}
}

// keyHash is the first 60 bits of the MD5 of a key's text as the server
// prints it (UTF-8): the term of the order-independent checksum of the
// keys passed, which both servers compute too (statements.passed). 60 bits
// keep the SQL sums of non-negative integers simple.
func keyHash(key string) uint64 {
	h := md5.Sum([]byte(key))
	return binary.BigEndian.Uint64(h[:8]) >> 4
}

// parseCursor reads a cursor made by position.cursor (or a version 1 one)
// for a key of class c. "" is the start. A cursor of another form is
// ErrCursor; one made for a key of another class (the key column's type
// changed) is ErrChanged.
func parseCursor(s string, c keyClass) (position, error) {
	if s == "" {
		return position{class: c, summed: true}, nil
	}
	p, class, err := splitCursor(s)
	if err != nil {
		return position{}, err
	}
	switch {
	case class != keyInt && class != keyText && class != keyUUID:
		return position{}, fmt.Errorf("%w: unknown key class %q", source.ErrCursor, class)
	case class != c:
		return position{}, fmt.Errorf("%w: the cursor is for a %s key, the key column is now %s", source.ErrChanged, class, c)
	case !validKey(c, p.key):
		return position{}, fmt.Errorf("%w: %q is not a %s key", source.ErrCursor, p.key, c)
	}
	p.class = class
	return p, nil
}

// splitCursor splits a cursor of either version into its parts.
func splitCursor(s string) (position, keyClass, error) {
	fields := 4
	rest, ok := strings.CutPrefix(s, cursorPrefix)
	if !ok {
		rest, ok = strings.CutPrefix(s, cursorPrefixV1)
		fields = 3
	}
	parts := strings.SplitN(rest, ":", fields)
	if !ok || len(parts) != fields {
		return position{}, "", fmt.Errorf("%w: not a database cursor", source.ErrCursor)
	}
	n, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || n < 1 {
		return position{}, "", fmt.Errorf("%w: bad row number %q", source.ErrCursor, parts[0])
	}
	p := position{n: n, key: parts[fields-1]}
	if fields == 4 {
		if p.sum, err = strconv.ParseUint(parts[1], 16, 64); err != nil || len(parts[1]) != 16 {
			return position{}, "", fmt.Errorf("%w: bad key checksum %q", source.ErrCursor, parts[1])
		}
		p.summed = true
	}
	return p, keyClass(parts[fields-2]), nil
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
