package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
)

// split returns the fields of a well-framed record. They are valid until the
// next call. A record with quotes goes through encoding/csv; a plain one (a
// single line with no quote) is cut at its delimiters, which is all that
// encoding/csv would do with it, at a quarter of the cost.
func (r *csvReader) split(f *frame) ([]string, error) {
	if !f.plain {
		return r.parse(f)
	}
	line := string(trimEOL(f.data))
	r.plain = r.plain[:0]
	for {
		i := strings.IndexByte(line, byte(r.opt.Delimiter))
		if i < 0 {
			r.plain = append(r.plain, line)
			return r.plain, nil
		}
		r.plain = append(r.plain, line[:i])
		line = line[i+1:]
	}
}

// trimEOL drops the line terminator of a record as encoding/csv does: "\n",
// "\r\n", or a '\r' at the end of the input.
func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// parse decodes f with encoding/csv.
func (r *csvReader) parse(f *frame) ([]string, error) {
	r.src.b = f.data
	before := r.cr.InputOffset()
	fields, err := r.cr.Read()
	if err == nil && r.cr.InputOffset()-before == int64(len(f.data)) {
		return fields, nil
	}
	r.resetCSV()
	rerr := &RecordError{File: r.name, Line: f.line, Err: errFraming}
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		rerr.Column, rerr.Err = pe.Column, fmt.Errorf("%w: %w", errFraming, pe.Err)
	}
	return nil, rerr
}

// fieldPos returns the line and column where field i of f starts, given
// the fields split or parse returned for f.
func (r *csvReader) fieldPos(f *frame, fields []string, i int) (int64, int) {
	if !f.plain {
		line, col := r.cr.FieldPos(i)
		first, _ := r.cr.FieldPos(0)
		return f.line + int64(line-first), col
	}
	col := 1
	for _, v := range fields[:i] {
		col += len(v) + 1
	}
	return f.line, col
}
