package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// watchEvery is how many bytes a watchReader reads between two checks
// (tests make it small).
var watchEvery int64 = 4 << 20

// ErrNotRegular means the input is not a regular file: a pipe, a FIFO, a
// terminal, a device or a directory.
var ErrNotRegular = errors.New("not a regular file")

// watch is an open file and what it was when opened, to tell whether it
// changed while it is read.
type watch struct {
	f    *os.File
	path string
	fi   fs.FileInfo
}

// openWatched opens path, which must be a regular file. It checks that
// before opening it, since opening a FIFO blocks until a writer comes.
func openWatched(path string) (*watch, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err = f.Stat(); err == nil {
		err = checkRegular(path, fi)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &watch{f: f, path: path, fi: fi}, nil
}

// checkRegular fails with ErrNotRegular, saying what to do, unless fi is a
// regular file.
func checkRegular(path string, fi fs.FileInfo) error {
	if fi.Mode().IsRegular() {
		return nil
	}
	kind := "a device"
	switch m := fi.Mode(); {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a pipe or FIFO"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeCharDevice != 0:
		kind = "a terminal or character device"
	}
	return fmt.Errorf("open %s: %w (%s): a stream cannot be resumed by offset; save it to a file first (e.g. cat > users.csv) and pass that file",
		path, ErrNotRegular, kind)
}

// size is the file's size when opened.
func (w *watch) size() int64 { return w.fi.Size() }

// check fails with ErrChanged if the file shrank, grew or was replaced
// since it was opened; read is how far it has been read, and atEOF tells
// whether reading met the end there.
func (w *watch) check(read int64, atEOF bool) error {
	fi, err := w.f.Stat()
	if err != nil {
		return err
	}
	switch size := w.size(); {
	case fi.Size() < size || atEOF && read < size:
		return fmt.Errorf("%w: it shrank from %d to %d bytes while being read (truncated or rewritten?)", ErrChanged, size, min(fi.Size(), read))
	case fi.Size() > size:
		return fmt.Errorf("%w: it grew from %d to %d bytes while being read (still being written? wait until the export is complete, then start again)", ErrChanged, size, fi.Size())
	}
	now, err := os.Stat(w.path)
	if err != nil {
		return fmt.Errorf("%w: it was removed or renamed while being read: %w", ErrChanged, err)
	}
	if !os.SameFile(now, w.fi) {
		return fmt.Errorf("%w: another file replaced it while it was read", ErrChanged)
	}
	return nil
}

// reader wraps r, which reads the file from offset off, so that it checks
// the file every watchEvery bytes and at the end.
func (w *watch) reader(r io.Reader, off int64) io.Reader {
	return &watchReader{r: r, w: w, off: off, next: off + watchEvery}
}

// watchReader is a reader that checks its file; see watch.reader. When the
// file changed it drops the bytes just read and fails, so that a record cut
// short is never returned.
type watchReader struct {
	r    io.Reader
	w    *watch
	off  int64 // file offset reached
	next int64 // file offset of the next check
}

func (r *watchReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.off += int64(n)
	if err == io.EOF || r.off >= r.next {
		r.next = r.off + watchEvery
		if cerr := r.w.check(r.off, err == io.EOF); cerr != nil {
			return 0, cerr
		}
	}
	return n, err
}
