package source

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// readHeader reads and checks the CSV header: it must be there, and its
// column names must be valid UTF-8, not empty, and unique.
func (r *csvReader) readHeader() error {
	f, err := r.fr.next()
	if err == io.EOF {
		return fmt.Errorf("open %s: %w: no header", r.name, ErrHeader)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", r.name, err)
	}
	if f.err != nil {
		return f.recordErr(r.name).Err
	}
	if !r.text(&f) {
		return &RecordError{File: r.name, Line: f.line,
			Err: fmt.Errorf("%w: %w: not valid %s", ErrHeader, ErrInvalidEncoding, r.s.codec.name)}
	}
	fields, err := r.parse(&f)
	if err != nil {
		return err
	}
	seen := make(map[string]bool, len(fields))
	for i, name := range fields {
		if err := r.headerError(name, seen); err != nil {
			_, col := r.cr.FieldPos(i)
			return &RecordError{File: r.name, Line: f.line, Column: col, Err: err}
		}
		seen[name] = true
	}
	if len(fields) == 1 {
		if err := delimiterErr(fields[0], r.opt.Delimiter); err != nil {
			return &RecordError{File: r.name, Line: f.line, Err: err}
		}
	}
	r.header = append([]string(nil), fields...)
	return nil
}

// headerError says what is wrong with column name, given the names before it.
func (r *csvReader) headerError(name string, seen map[string]bool) error {
	switch {
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: %w in column name", ErrHeader, r.utf8Cause([]byte(name)))
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: empty column name", ErrHeader)
	case seen[name]:
		return fmt.Errorf("%w: duplicate column %q", ErrHeader, name)
	}
	return nil
}
