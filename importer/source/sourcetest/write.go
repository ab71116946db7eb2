package sourcetest

import "io"

// flushAt is how much WriteCSV and WriteJSONL buffer before writing.
const flushAt = 256 << 10

// WriteCSV writes an export of n rows made with seed to w as CSV: a header
// of Columns, then one line per row, LF-terminated, quoted only where
// needed.
func WriteCSV(w io.Writer, n int, seed int64) error {
	return write(w, n, seed, appendCSVHeader, appendCSVRow)
}

// WriteJSONL writes an export of n rows made with seed to w as JSON Lines:
// one object per row with the keys of Columns, in order, and the values of
// Row, all strings.
func WriteJSONL(w io.Writer, n int, seed int64) error {
	return write(w, n, seed, nil, appendJSONRow)
}

func write(w io.Writer, n int, seed int64, header func([]byte) []byte, appendRow func([]byte, *row) []byte) error {
	b := make([]byte, 0, flushAt+4096)
	if header != nil {
		b = header(b)
	}
	for i := range n {
		r := makeRow(seed, i)
		b = appendRow(b, &r)
		if len(b) >= flushAt {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := w.Write(b)
	return err
}

func appendCSVHeader(b []byte) []byte {
	for i, c := range Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c...)
	}
	return append(b, '\n')
}

func appendCSVRow(b []byte, r *row) []byte {
	for col := range Columns {
		if col > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = r.appendField(b, col)
		if needsQuotes(b[start:]) {
			b = quoteCSV(b, start)
		}
	}
	return append(b, '\n')
}

// needsQuotes reports whether a CSV field must be quoted.
func needsQuotes(field []byte) bool {
	for _, c := range field {
		if c == ',' || c == '"' || c == '\r' || c == '\n' {
			return true
		}
	}
	return false
}

// quoteCSV quotes the field b[start:] in place.
func quoteCSV(b []byte, start int) []byte {
	var buf [128]byte
	field := append(buf[:0], b[start:]...)
	b = append(b[:start], '"')
	for i := range len(field) {
		if field[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, field[i])
	}
	return append(b, '"')
}

func appendJSONRow(b []byte, r *row) []byte {
	var v [128]byte
	b = append(b, '{')
	for col, c := range Columns {
		if col > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, c...)
		b = append(b, '"', ':')
		b = appendJSONString(b, r.appendField(v[:0], col))
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s, valid UTF-8, as a JSON string.
func appendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
