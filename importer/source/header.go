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
	fields, err := r.parse(&f)
	if err != nil {
		return err
	}
	seen := make(map[string]bool, len(fields))
	for i, name := range fields {
		if err := headerError(name, seen); err != nil {
			_, col := r.cr.FieldPos(i)
			return &RecordError{File: r.name, Line: f.line, Column: col, Err: err}
		}
		seen[name] = true
	}
	r.header = append([]string(nil), fields...)
	return nil
}

// headerError says what is wrong with column name, given the names before it.
func headerError(name string, seen map[string]bool) error {
	switch {
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: %w in column name", ErrHeader, ErrInvalidUTF8)
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: empty column name", ErrHeader)
	case seen[name]:
		return fmt.Errorf("%w: duplicate column %q", ErrHeader, name)
	}
	return nil
}
