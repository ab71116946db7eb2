package source

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"

	"github.com/cespare/xxhash/v2"
)

// Open opens the file at path for reading with opt. Errors name the file by
// path as given. The caller must Close the Reader.
//
// Open fails, before any record is read, if path is not a regular file
// (ErrNotRegular), the options are invalid, the format is unknown
// (ErrFormat), a CSV header is missing or bad (ErrHeader, or a
// *RecordError), or opt.Offset is not a record boundary (ErrOffset). Next
// fails with ErrChanged if the file shrinks, grows or is replaced while it
// is read.
func Open(path string, opt Options) (Reader, error) {
	w, err := openWatched(path)
	if err != nil {
		return nil, err
	}
	r, err := open(path, w.f, w.size(), opt, w)
	if err != nil {
		w.f.Close()
		return nil, err
	}
	return r, nil
}

// OpenReader is Open for the first size bytes of ra, called name in errors
// and used to tell the format. Closing the Reader does not close ra.
func OpenReader(name string, ra io.ReaderAt, size int64, opt Options) (Reader, error) {
	return open(name, ra, size, opt, nil)
}

// open opens a Reader at opt.Offset; w is the watched file, or nil.
func open(name string, ra io.ReaderAt, size int64, opt Options, w *watch) (Reader, error) {
	s, err := newSrc(name, ra, size, opt, w)
	if err != nil {
		return nil, err
	}
	r, err := s.reader()
	if err != nil || opt.Offset == 0 {
		return r, err
	}
	if s.codec.utf16 {
		return nil, fmt.Errorf("open %s: Options.Offset is not supported for UTF-16 input: use File.Open with a cursor", name)
	}
	first, firstLine := r.at()
	line, err := resumeLine(ra, size, s.opt, first, firstLine)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	r.seek(opt.Offset, line, nil)
	return r, nil
}

// recReader is a Reader that can be moved: the CSV or JSONL reader.
type recReader interface {
	Reader
	// at returns the file offset and line the reader is at.
	at() (int64, int64)
	// seek moves the reader to file offset off, on line line, a line
	// start; h is the hash of the bytes before off, or nil for records
	// with no cursor.
	seek(off, line int64, h *xxhash.Digest)
	// closer sets what Close closes.
	closer(c io.Closer)
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

// closer sets what Close closes.
func (s *state) closer(c io.Closer) { s.c = c }

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
