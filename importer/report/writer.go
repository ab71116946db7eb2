package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// Writer appends rows to the report files of a state directory. Rows
// are buffered; Sync makes them durable. After a failed write or fsync the
// Writer is broken and every later call returns that error. It is safe for
// concurrent use.
type Writer struct {
	mu     sync.Mutex
	files  map[string]*file
	err    error // sticky
	closed bool
}

// file is one report: rows go csv.Writer -> counter -> bufio.Writer -> file.
type file struct {
	f       *os.File
	bw      *bufio.Writer
	cw      *csv.Writer
	written int64 // bytes handed to bw: the file's size once flushed
	synced  int64 // bytes known durable (after the last Sync)
	cutTo   int64 // if >= 0, truncate f to this size before writing to it (Rotate)
}

// fileSink is what bw flushes into: the file, first cut back if Rotate asked.
type fileSink struct{ rf *file }

func (s fileSink) Write(p []byte) (int, error) {
	if s.rf.cutTo >= 0 {
		if err := s.rf.f.Truncate(s.rf.cutTo); err != nil {
			return 0, err
		}
		s.rf.cutTo = -1
	}
	return s.rf.f.Write(p)
}

// Write counts what the csv.Writer hands down to the bufio.Writer.
func (rf *file) Write(p []byte) (int, error) {
	n, err := rf.bw.Write(p)
	rf.written += int64(n)
	return n, err
}

// OpenWriter opens the report files in dir.
//
// With sizes == nil (a fresh start) it replaces every file with a new one
// and writes its header. No file is ever opened through a symlink, and dir
// must pass state.CheckDir (callers open it with state.OpenDir). Otherwise sizes are the byte sizes a snapshot recorded
// (Writer.Sizes at the time): each file is truncated to its size, dropping
// rows written after that snapshot, and appended to from there. A size of 0
// restarts that file with its header. A missing name in sizes, a missing
// file with a non-zero size, a file shorter than its size, or one whose
// recorded prefix is not a header followed by whole lines is a
// *state.DamagedError.
// Headers and truncations are fsynced before OpenWriter returns.
func OpenWriter(dir string, sizes map[string]int64) (*Writer, error) {
	w := &Writer{files: make(map[string]*file)}
	for _, name := range outcome.Files() {
		rf, err := openFile(filepath.Join(dir, name), name, sizes)
		if err != nil {
			_ = w.closeFiles()
			return nil, fmt.Errorf("open reports: %w", err)
		}
		w.files[name] = rf
	}
	if err := w.Sync(); err != nil {
		_ = w.closeFiles()
		return nil, err
	}
	if err := state.FsyncDir(dir); err != nil {
		_ = w.closeFiles()
		return nil, fmt.Errorf("open reports: %w", err)
	}
	return w, nil
}

// openFile opens one report per OpenWriter's rules.
func openFile(path, name string, sizes map[string]int64) (*file, error) {
	size, ok := sizes[name]
	switch {
	case sizes == nil || (ok && size == 0):
		return createFile(path, headers[name])
	case !ok:
		return nil, fmt.Errorf("no recorded size for %s", name)
	}
	f, err := state.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &state.DamagedError{Path: path, Problem: fmt.Sprintf("the report is missing; the snapshot recorded %d bytes", size)}
	} else if err != nil {
		return nil, fmt.Errorf("reopen %s at %d bytes: %w", name, size, err)
	}
	if err := truncateAt(f, headers[name], size); err != nil {
		_ = f.Close()
		return nil, &state.DamagedError{Path: path, Problem: fmt.Sprintf("the snapshot recorded %d bytes", size), Err: err}
	}
	return newFile(f, size), nil
}

// createFile replaces path with a new file (0600) and writes header into
// it. The old entry is unlinked, never opened: a symlink planted there is
// removed, not written through, and the new file is created with
// O_EXCL|O_NOFOLLOW.
func createFile(path string, header []byte) (*file, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("create report: %w", err)
	}
	f, err := state.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err == nil {
		err = f.Chmod(0o600) // fchmod: whatever the umask
	}
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, fmt.Errorf("create report: %w", err)
	}
	rf := newFile(f, 0)
	_, _ = rf.Write(header) // into the buffer; errors surface at Sync
	return rf, nil
}

func newFile(f *os.File, size int64) *file {
	rf := &file{f: f, written: size, synced: size, cutTo: -1}
	rf.bw = bufio.NewWriterSize(fileSink{rf}, 64<<10)
	rf.cw = csv.NewWriter(rf)
	return rf
}

// truncateAt checks that f holds at least size bytes, starting with header
// and ending at a line end, then truncates f to size.
func truncateAt(f *os.File, header []byte, size int64) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < size {
		return fmt.Errorf("file has only %d bytes", fi.Size())
	}
	if size < int64(len(header)) {
		return errors.New("recorded size is shorter than the header")
	}
	head := make([]byte, len(header))
	if _, err := f.ReadAt(head, 0); err != nil {
		return err
	}
	if !bytes.Equal(head, header) {
		return fmt.Errorf("unexpected header %q", head)
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, size-1); err != nil {
		return err
	}
	if last[0] != '\n' {
		return errors.New("recorded size is not at the end of a row")
	}
	return f.Truncate(size)
}

// Write appends r to the report of outcome o. Nothing is durable until Sync.
func (w *Writer) Write(o outcome.Outcome, r *outcome.Row) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	rf, ok := w.files[o.File]
	if !ok {
		return fmt.Errorf("write report: no report %s", o.File)
	}
	if err := rf.cw.Write(neutraliseRecord(o.Record(r))); err != nil {
		w.err = fmt.Errorf("write %s: %w", o.File, err)
		return w.err
	}
	return nil
}

func (w *Writer) usable() error {
	if w.closed {
		return errors.New("report writer closed")
	}
	return w.err
}

// Sync flushes every report and fsyncs it. Afterwards Sizes reports the new
// sizes.
func (w *Writer) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.syncLocked()
}

func (w *Writer) syncLocked() error {
	if err := w.usable(); err != nil {
		return err
	}
	for _, name := range outcome.Files() {
		if err := w.files[name].sync(); err != nil {
			w.err = fmt.Errorf("sync %s: %w", name, err)
			return w.err
		}
	}
	return nil
}

func (rf *file) sync() error {
	rf.cw.Flush()
	if err := rf.cw.Error(); err != nil {
		return err
	}
	if err := rf.bw.Flush(); err != nil {
		return err
	}
	if _, err := (fileSink{rf}).Write(nil); err != nil { // a cut Rotate deferred, even with no new row
		return err
	}
	if err := rf.f.Sync(); err != nil {
		return err
	}
	rf.synced = rf.written
	return nil
}

// Sizes returns each report's size in bytes as of the last successful Sync,
// keyed by file name: the value to record in a snapshot.
func (w *Writer) Sizes() map[string]int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	m := make(map[string]int64, len(w.files))
	for name, rf := range w.files {
		m[name] = rf.synced
	}
	return m
}

// Close syncs and closes every report. Sizes stays valid afterwards.
func (w *Writer) Close() error {
	err := w.Sync()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errors.New("report writer closed")
	}
	w.closed = true
	return errors.Join(err, w.closeFiles())
}

// Discard closes the files without writing what is buffered or cutting what
// Rotate deferred, as a crash would: the files stay as the last snapshot
// knows them. For error paths that must not touch the reports.
func (w *Writer) Discard() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return w.closeFiles()
}

func (w *Writer) closeFiles() error {
	var errs []error
	for _, rf := range w.files {
		if err := rf.f.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
