package source

import (
	"fmt"
	"strconv"
	"strings"
)

// cursorTag starts every file cursor; the digit is the format version.
const cursorTag = "f1"

// cursor is a File's resume point, as carried by Record.Next:
//
//	f1:<offset>:<line>:<hash>
//
// offset is the decimal byte offset of the next record's first byte (the
// previous record's End), line the line number there, and hash the
// xxHash64 (XXH64, seed 0) of the file's bytes [0, offset), as 16
// lower-case hex digits. File.Open(cursor) hashes those bytes again and
// fails with ErrChanged if they differ, so any change before the cursor is
// found, not only one in the first MiB. The hash detects accidents (a
// regenerated export, an edit, a truncation), not an adversary who can
// write the file. A cursor holds no field data.
type cursor struct {
	off, line int64
	sum       uint64
}

// String returns c in the format above.
func (c cursor) String() string {
	var b [64]byte
	return string(c.append(b[:0]))
}

// append appends c, in the format above, to s.
func (c cursor) append(s []byte) []byte {
	s = append(s, cursorTag...)
	s = append(s, ':')
	s = strconv.AppendInt(s, c.off, 10)
	s = append(s, ':')
	s = strconv.AppendInt(s, c.line, 10)
	s = append(s, ':')
	const hex = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		s = append(s, hex[c.sum>>uint(shift)&0xf])
	}
	return s
}

// parseCursor parses s, made by cursor.String. It fails with ErrCursor.
func parseCursor(s string) (cursor, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 || parts[0] != cursorTag || len(parts[3]) != 16 {
		return cursor{}, fmt.Errorf("%w %q: not a file cursor (want %s:offset:line:hash)", ErrCursor, clip(s), cursorTag)
	}
	off, err1 := strconv.ParseInt(parts[1], 10, 64)
	line, err2 := strconv.ParseInt(parts[2], 10, 64)
	sum, err3 := strconv.ParseUint(parts[3], 16, 64)
	if err1 != nil || err2 != nil || err3 != nil || off < 0 || line < 1 {
		return cursor{}, fmt.Errorf("%w %q: bad offset, line or hash", ErrCursor, clip(s))
	}
	return cursor{off: off, line: line, sum: sum}, nil
}

// clip shortens s, text from outside, for an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
