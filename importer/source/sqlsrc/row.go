package sqlsrc

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ciam-import/ciam-import/importer/source"
)

// record turns one row into a Record with ordinal n (0 for Reread, whose
// records have no ordinal and no cursor). NULL is "", like an empty CSV
// cell, so every column is in Fields and the mapping's "missing is empty"
// rule and templates see NULL as empty. The row's text is copied into one
// string, which the fields share. A value that is not valid UTF-8 makes the
// record malformed (source.ErrInvalidUTF8), Fields still set.
func (s *Source) record(vals [][]byte, n int64) (rec source.Record, key string) {
	size := 0
	for _, v := range vals {
		size += len(v)
	}
	var b strings.Builder
	b.Grow(size)
	for _, v := range vals {
		b.Write(v)
	}
	all := b.String()
	fields := make(map[string]any, len(vals))
	off := 0
	for i, v := range vals {
		text := all[off : off+len(v)]
		off += len(v)
		fields[s.cols[i].name] = renderValue(s.cols[i].render, text)
		if i == s.key {
			key = text
		}
	}
	rec = source.Record{ID: key, Pos: n, Line: n, Fields: fields} // the reader sets Next
	if !utf8.ValidString(all) {
		rec.Err = s.utf8Error(vals, n)
	}
	return rec, key
}

// utf8Error names the first column whose value is not valid UTF-8.
func (s *Source) utf8Error(vals [][]byte, n int64) error {
	for i, v := range vals {
		if !utf8.Valid(v) {
			return &source.RecordError{File: s.name(), Line: n, Field: s.cols[i].name, Err: source.ErrInvalidUTF8}
		}
	}
	return nil
}

// nullKeyError is the read error for a row whose key became NULL after Open.
func (s *Source) nullKeyError(n int64) error {
	k := s.cols[s.key]
	return &ColumnError{Column: k.name, Type: k.typ, Err: fmt.Errorf("%w in row %d", ErrNullKey, n)}
}
