package source

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Open opens the file at path for reading with opt. Errors name the file by
// path as given. The caller must Close the Reader.
//
// Open fails, before any record is read, if the options are invalid, the
// format is unknown (ErrFormat), a CSV header is missing or bad (ErrHeader,
// or a *RecordError), or opt.Offset is not a record boundary (ErrOffset).
func Open(path string, opt Options) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, err := open(path, f, fi.Size(), opt, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// OpenReader is Open for the first size bytes of ra, called name in errors
// and used to tell the format. Closing the Reader does not close ra.
func OpenReader(name string, ra io.ReaderAt, size int64, opt Options) (Reader, error) {
	return open(name, ra, size, opt, nil)
}

func open(name string, ra io.ReaderAt, size int64, opt Options, c io.Closer) (Reader, error) {
	opt, err := opt.resolve(name)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if opt.Format == FormatJSONL {
		r, err := newJSONL(name, ra, size, opt)
		if err != nil {
			return nil, err
		}
		r.c = c
		return r, nil
	}
	r, err := newCSV(name, ra, size, opt)
	if err != nil {
		return nil, err
	}
	r.c = c
	return r, nil
}

// state is what both readers share: the closer and the sticky read error.
type state struct {
	name   string
	c      io.Closer // nil if the caller owns the input
	closed bool
	err    error // io.EOF or the read error, once met
}

// check returns the error Next must return before reading, if any.
func (s *state) check() error {
	if s.closed {
		return fmt.Errorf("read %s: %w", s.name, fs.ErrClosed)
	}
	return s.err
}

// fail records err from the input and returns it as Next must.
func (s *state) fail(err error) error {
	if err != io.EOF {
		err = fmt.Errorf("read %s: %w", s.name, err)
	}
	s.err = err
	return err
}

// Close releases the reader; see Reader.
func (s *state) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.c == nil {
		return nil
	}
	return s.c.Close()
}

// bomLen returns 3 if ra starts with a UTF-8 byte order mark, else 0.
func bomLen(ra io.ReaderAt, size int64) int64 {
	var b [3]byte
	if size >= 3 {
		if _, err := ra.ReadAt(b[:], 0); err == nil && string(b[:]) == "\uFEFF" {
			return 3
		}
	}
	return 0
}

// resumeLine checks opt.Offset, a resume point, against the file and the
// first record's offset and line, and returns the line number at it.
func resumeLine(ra io.ReaderAt, size int64, opt Options, first, firstLine int64) (int64, error) {
	switch {
	case opt.Offset < first:
		return 0, fmt.Errorf("%w: offset %d is before the first record, at %d", ErrOffset, opt.Offset, first)
	case opt.Offset > size:
		return 0, fmt.Errorf("%w: offset %d is past the end of the file, at %d", ErrOffset, opt.Offset, size)
	case opt.Offset > first && opt.Offset < size:
		var b [1]byte
		if _, err := ra.ReadAt(b[:], opt.Offset-1); err != nil {
			return 0, err
		}
		if b[0] != '\n' {
			return 0, fmt.Errorf("%w: offset %d is not at the start of a line", ErrOffset, opt.Offset)
		}
	}
	if opt.Line == 0 {
		return countLines(io.NewSectionReader(ra, 0, opt.Offset))
	}
	if opt.Line < firstLine {
		return 0, fmt.Errorf("%w: line %d is before the first record, on line %d", ErrOffset, opt.Line, firstLine)
	}
	return opt.Line, nil
}

// countLines returns 1 + the number of newlines in r.
func countLines(r io.Reader) (int64, error) {
	buf := make([]byte, readSize)
	lines := int64(1)
	for {
		n, err := r.Read(buf)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err == io.EOF {
			return lines, nil
		}
		if err != nil {
			return 0, err
		}
	}
}
