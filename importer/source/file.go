package source

import (
	"fmt"
	"os"
	"path/filepath"
)

// File is the Input for a CSV or JSONL file.
//
// Every Record it reads has ID, the decimal byte offset of its first byte;
// Pos, equal to End; and, from Open, Next, a cursor (see the cursor type:
// "f1:<offset>:<line>:<hash>") with which Open continues after it once it
// has checked that the bytes before it did not change. Records from Reread
// have no cursor (Next is ""): a retry pass names its records by ID.
//
// While it reads, a reader checks the file every few MiB and at the end,
// and Next fails with ErrChanged if the file shrank, grew or was replaced.
// A File holds no open file; each reader opens its own.
type File struct {
	path string  // absolute
	opt  Options // resolved
}

var _ Input = (*File)(nil)

// NewFile returns the Input for the file at path with opt. It fails if opt
// is invalid, opt.Offset or opt.Line is set (a File resumes with cursors),
// or path cannot be opened or is not a regular file: a pipe, a FIFO,
// /dev/stdin, a device or a directory fails with ErrNotRegular, since a
// stream cannot be read again from an offset. The format and encoding are
// only checked against the file's content by Open.
func NewFile(path string, opt Options) (*File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if opt.Offset != 0 || opt.Line != 0 {
		return nil, fmt.Errorf("open %s: Options.Offset and Line are for Open; a File resumes from a cursor", abs)
	}
	if opt, err = opt.resolve(abs); err != nil {
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	w, err := openWatched(abs)
	if err != nil {
		return nil, err
	}
	w.f.Close()
	return &File{path: abs, opt: opt}, nil
}

// Path returns the file's absolute path.
func (f *File) Path() string { return f.path }

// Identity returns "<format> file <absolute path>", e.g.
// "csv file /srv/users.csv".
func (f *File) Identity() string { return f.opt.Format + " file " + f.path }

// Size returns the file's size now, or -1 if it cannot be read.
func (f *File) Size() int64 {
	fi, err := os.Stat(f.path)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// Open starts a read at the start ("") or after the record whose Next is
// cursor. With a cursor it first reads the file up to it again and fails
// with an error matching ErrChanged if the file is now shorter, or any byte
// before the cursor changed; with ErrCursor if cursor is not a File cursor
// or does not fit the file (its line count is wrong, or it points into the
// CSV header). It fails like the package's Open otherwise. The caller must
// Close the Reader.
func (f *File) Open(cur string) (Reader, error) {
	s, err := f.src()
	if err != nil {
		return nil, err
	}
	r, err := s.openCursor(cur)
	if err != nil {
		s.watch.f.Close()
		return nil, err
	}
	return r, nil
}

// src opens the file.
func (f *File) src() (*src, error) {
	w, err := openWatched(f.path)
	if err != nil {
		return nil, err
	}
	s, err := newSrc(f.path, w.f, w.size(), f.opt, w)
	if err != nil {
		w.f.Close()
		return nil, err
	}
	return s, nil
}

// openCursor returns a reader of s at its start (cur is "") or at cursor
// cur; see File.Open.
func (s *src) openCursor(cur string) (Reader, error) {
	if cur == "" {
		return s.reader()
	}
	c, err := parseCursor(cur)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.name, err)
	}
	h, err := s.verify(c)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.name, err)
	}
	r, err := s.reader()
	if err != nil {
		return nil, err
	}
	if first, _ := r.at(); c.off < first {
		return nil, fmt.Errorf("open %s: %w: offset %d is before the first record, at %d", s.name, ErrCursor, c.off, first)
	}
	r.seek(c.off, c.line, h)
	return r, nil
}
