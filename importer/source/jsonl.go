package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// jsonlReader reads JSON Lines: one object per line, blank lines skipped.
type jsonlReader struct {
	state
	s       *src
	dec     *textDecoder // nil if the framed bytes are UTF-8
	w       *window
	max     int
	tooLong error
	line    bytes.Reader // the line being decoded
}

// newJSONL returns a JSONL reader of s at w, its top.
func newJSONL(s *src, w *window) *jsonlReader {
	return &jsonlReader{
		state:   state{name: s.name},
		s:       s,
		dec:     newTextDecoder(s.codec),
		w:       w,
		max:     s.opt.MaxRecordBytes,
		tooLong: tooLongErr(s.opt.MaxRecordBytes),
	}
}

// at returns the position of the reader; see recReader.
func (r *jsonlReader) at() (int64, int64) { return r.w.fileOff(), r.w.line }

// seek moves the reader; see recReader.
func (r *jsonlReader) seek(off, line int64, h *xxhash.Digest) {
	r.w = r.s.window(off, line, h, r.w.buf)
	r.err = nil
}

// Header returns nil: JSONL has no header.
func (r *jsonlReader) Header() []string { return nil }

// Next returns the next record; see Reader.
func (r *jsonlReader) Next() (Record, error) {
	if err := r.check(); err != nil {
		return Record{}, err
	}
	for {
		f, err := r.nextLine()
		if err != nil {
			return Record{}, r.fail(err)
		}
		if f.err != nil {
			return f.recordErr(r.name), nil
		}
		if b := bytes.TrimRight(f.data, "\r\n"); !isBlank(b) {
			return r.decode(&f, b), nil
		}
	}
}

// nextLine frames the next line. It returns io.EOF at the end of the input,
// or the read error.
func (r *jsonlReader) nextLine() (frame, error) {
	w := r.w
	if !w.need(1) {
		return frame{}, eofOr(w)
	}
	var f frame
	f.begin(w)
	n, scanned := -1, 0
	for {
		d := w.data()
		if k := bytes.IndexByte(d[scanned:], '\n'); k >= 0 {
			n = scanned + k + 1
			break
		}
		scanned = len(d)
		if scanned > r.max || !w.more() {
			break
		}
	}
	if err := w.ioErr(); n < 0 && scanned <= r.max && err != nil {
		return frame{}, err
	}
	r.cut(&f, n)
	f.finish(w)
	return f, nil
}

// cut consumes the line framed by nextLine: n bytes, or, if n < 0, up to the
// end of the input or past r.max.
func (r *jsonlReader) cut(f *frame, n int) {
	d := r.w.data()
	switch {
	case n < 0 && len(d) <= r.max: // the last line, with no newline
		f.data = d
		r.w.advance(len(d), 0)
	case n < 0:
		f.err, f.errLine = r.tooLong, f.line
		r.w.skipLine()
	case n > r.max:
		f.err, f.errLine = r.tooLong, f.line
		r.w.advance(n, 1)
	default:
		f.data = d[:n]
		r.w.advance(n, 1)
	}
}

// isBlank reports whether b holds only JSON white space.
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// decode turns line b of frame f into a Record.
func (r *jsonlReader) decode(f *frame, b []byte) Record {
	rec := f.record()
	if r.dec != nil {
		var ok bool
		if b, ok = r.dec.decode(b); !ok {
			col := bytes.IndexRune(b, '\uFFFD') + 1
			rec.Err = &RecordError{File: r.name, Line: f.line, Column: col,
				Err: fmt.Errorf("%w: not valid %s", ErrInvalidEncoding, r.s.codec.name)}
			return rec
		}
	}
	fields, col, err := r.object(b)
	if err != nil {
		rec.Err = &RecordError{File: r.name, Line: f.line, Column: col, Err: err}
	}
	rec.Fields = fields
	return rec
}

// object decodes b, which must hold one JSON object. On failure it returns
// the column of the problem.
func (r *jsonlReader) object(b []byte) (map[string]any, int, error) {
	if !utf8.Valid(b) {
		return nil, invalidUTF8At(b) + 1, r.s.utf8Cause(b)
	}
	r.line.Reset(b)
	dec := json.NewDecoder(&r.line)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, len(b) + 1, fmt.Errorf("%w: unexpected end of line", ErrInvalidJSON)
	} else if err != nil {
		return nil, jsonErrCol(err), fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	if n := int(dec.InputOffset()); !isBlank(b[n:]) {
		col := n + len(b[n:]) - len(bytes.TrimLeft(b[n:], " \t\r")) + 1
		return nil, col, fmt.Errorf("%w: data after the object", ErrInvalidJSON)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, len(b) - len(bytes.TrimLeft(b, " \t\r")) + 1, fmt.Errorf("%w: %s", ErrNotObject, kindOf(v))
	}
	if name, path, col, dup := duplicateMember(b); dup {
		return nil, col, duplicateError(name, path)
	}
	return m, 0, nil
}

// jsonErrCol returns the column of a decoding error, or 0.
func jsonErrCol(err error) int {
	if se := (*json.SyntaxError)(nil); errors.As(err, &se) {
		return int(se.Offset)
	}
	return 0
}

// invalidUTF8At returns the index of the first byte of b that is not valid UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// kindOf names the JSON type of a decoded value that is not an object.
func kindOf(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}
