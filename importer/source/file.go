package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// File is the Input of a CSV or JSONL file. Its cursors are
// "offset:line" (the byte offset and line just past a record).
type File struct {
	path string
	opt  Options
}

// NewFile returns the Input of the file at path, read with opt (Offset and
// Line are ignored: cursors say where to start).
func NewFile(path string, opt Options) (*File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if opt, err = opt.resolve(abs); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	opt.Offset, opt.Line = 0, 0
	return &File{path: abs, opt: opt}, nil
}

// Identity is the format and the absolute path.
func (f *File) Identity() string { return f.opt.Format + " file " + f.path }

// Size is the file's size in bytes now, or -1.
func (f *File) Size() int64 {
	fi, err := os.Stat(f.path)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// Open reads from the cursor on.
func (f *File) Open(cursor string) (Reader, error) {
	o := f.opt
	if cursor != "" {
		off, line, ok := strings.Cut(cursor, ":")
		var err1, err2 error
		o.Offset, err1 = strconv.ParseInt(off, 10, 64)
		o.Line, err2 = strconv.ParseInt(line, 10, 64)
		if !ok || err1 != nil || err2 != nil || o.Offset < 0 || o.Line < 0 {
			return nil, fmt.Errorf("%w %q for %s", ErrCursor, cursor, f.path)
		}
		if size := f.Size(); size >= 0 && size < o.Offset {
			return nil, fmt.Errorf("%w: %s shrank to %d bytes, before the resume offset %d", ErrChanged, f.path, size, o.Offset)
		}
	}
	r, err := Open(f.path, o)
	if err != nil {
		return nil, err
	}
	return &fileReader{Reader: r}, nil
}

// Reread reads the records starting at the offsets ids, in that order.
func (f *File) Reread(ids []string) (Reader, error) {
	return &rereader{f: f, ids: ids}, nil
}

// fileReader fills in ID, Next and Pos.
type fileReader struct{ Reader }

func (r *fileReader) Next() (Record, error) {
	rec, err := r.Reader.Next()
	if err == nil {
		stamp(&rec)
	}
	return rec, err
}

func stamp(rec *Record) {
	rec.ID = strconv.FormatInt(rec.Offset, 10)
	rec.Next = strconv.FormatInt(rec.End, 10) + ":" + strconv.FormatInt(rec.EndLine, 10)
	rec.Pos = rec.End
}

type rereader struct {
	f    *File
	ids  []string
	next int
}

func (r *rereader) Next() (Record, error) {
	if r.next >= len(r.ids) {
		return Record{}, io.EOF
	}
	id := r.ids[r.next]
	r.next++
	off, err := strconv.ParseInt(id, 10, 64)
	if err != nil || off < 0 {
		return Record{ID: id, Err: &RecordError{File: r.f.path, Err: fmt.Errorf("row id %q is not a byte offset of %s", id, r.f.path)}}, nil
	}
	o := r.f.opt
	o.Offset = off
	src, err := Open(r.f.path, o)
	if err != nil {
		return Record{}, err
	}
	defer src.Close()
	rec, err := src.Next()
	if errors.Is(err, io.EOF) {
		return Record{ID: id, Err: &RecordError{File: r.f.path, Err: fmt.Errorf("no row at offset %d any more", off)}}, nil
	}
	if err == nil {
		stamp(&rec)
	}
	return rec, err
}

func (r *rereader) Header() []string { return nil }
func (r *rereader) Close() error     { return nil }
