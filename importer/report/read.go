package report

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// HeaderError is a report whose first line is not the header of the
// outcome it was read as: another report, another version's, or an empty
// file (Got is nil).
type HeaderError struct {
	Path      string
	Got, Want []string
}

func (e *HeaderError) Error() string {
	if e.Got == nil {
		return fmt.Sprintf("read %s: no header", e.Path)
	}
	return fmt.Sprintf("read %s: header is %q, want %q", e.Path, strings.Join(e.Got, ","), strings.Join(e.Want, ","))
}

// RowError is a report row that does not read: a row torn by a crash past
// the last checkpoint, or a file that was not written by a Writer. Line is
// the line of the report file where the problem is.
type RowError struct {
	Path string
	Line int
	Err  error
}

func (e *RowError) Error() string { return fmt.Sprintf("read %s: line %d: %v", e.Path, e.Line, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// Read streams the rows of o's report at path to fn, in file order, as the
// Writer was given them: each cell is restored (Restore) and parsed back
// into the Row fields of o's columns. line is the line of the report file
// the row starts on, for errors.
//
// The file is opened by state.OpenFile: never through a symlink, never
// blocking on a FIFO. A missing file is an error (errors.Is
// fs.ErrNotExist). A first line other than o's header is a *HeaderError; a
// row that does not parse is a *RowError, after fn had the rows before it.
// An error from fn stops the read and is returned as is. Read only files
// that were synced and not written to since (a finished pass's report), or
// expect a *RowError at a torn end.
func Read(path string, o outcome.Outcome, fn func(row outcome.Row, line int) error) error {
	r, err := open(path, o)
	if err != nil {
		return err
	}
	defer r.f.Close()
	for {
		rec, line, err := r.next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		row, err := o.Parse(restoreRecord(rec))
		if err != nil {
			return &RowError{Path: path, Line: line, Err: err}
		}
		if err := fn(row, line); err != nil {
			return err
		}
	}
}

// Count returns the number of rows after the header of the report at path
// (its base name says which report: created.csv, ...), as the file is now.
// It parses no cell: after a crash it counts whole rows past the snapshot's
// recorded size, which a resume drops, and an unquoted row torn at the end.
// An empty file (a report whose header was not flushed yet) counts 0; a
// missing file is an error (errors.Is fs.ErrNotExist); another header is a
// *HeaderError.
func Count(path string) (int64, error) {
	o, ok := outcome.ByFile(filepath.Base(path))
	if !ok {
		return 0, fmt.Errorf("count rows in %s: not a report", path)
	}
	r, err := open(path, o)
	var he *HeaderError
	if errors.As(err, &he) && he.Got == nil {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	defer r.f.Close()
	r.cr.ReuseRecord = true
	n := int64(0)
	for {
		if _, _, err := r.next(); err == io.EOF {
			return n, nil
		} else if err != nil {
			return 0, err
		}
		n++
	}
}

// reader is an open report whose header was checked.
type reader struct {
	path string
	f    *os.File
	cr   *csv.Reader
}

// open opens the report at path and checks its header against o's.
func open(path string, o outcome.Outcome) (*reader, error) {
	f, err := state.OpenFile(path, os.O_RDONLY, 0) // never blocks on a FIFO, never through a symlink
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	r := &reader{path: path, f: f, cr: csv.NewReader(bufio.NewReaderSize(f, 64<<10))}
	r.cr.FieldsPerRecord = -1 // Parse says which row has too few cells, and how many it wants
	head, _, err := r.next()
	if err == io.EOF {
		err = &HeaderError{Path: path, Want: o.Header()}
	} else if err == nil && !slices.Equal(head, o.Header()) {
		err = &HeaderError{Path: path, Got: head, Want: o.Header()}
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return r, nil
}

// next returns the next record and the line it starts on; io.EOF at the
// end, a *RowError for a record encoding/csv cannot read.
func (r *reader) next() ([]string, int, error) {
	rec, err := r.cr.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, 0, &RowError{Path: r.path, Line: pe.Line, Err: fmt.Errorf("byte %d: %w", pe.Column, pe.Err)}
	} else if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", r.path, err)
	}
	line, _ := r.cr.FieldPos(0)
	return rec, line, nil
}

// restoreRecord restores every cell of rec (Restore) in place.
func restoreRecord(rec []string) []string {
	for i, c := range rec {
		rec[i] = Restore(c)
	}
	return rec
}
