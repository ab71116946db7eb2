package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Journal is the append-only journal.jsonl with group commit. Append only
// buffers; Commit makes entries durable, and concurrent Commits share one
// write+fsync: whoever finds no flush in progress writes everything buffered
// so far while the others wait, so N workers committing at once cost a
// couple of fsyncs, not N. A failed write or fsync is sticky: every later
// Commit, Sync and Close returns it, because after a failed fsync nothing
// about the file's content can be trusted (the process should exit and
// recover from the files on disk). All methods are safe for concurrent use.
type Journal struct {
	path string
	f    *os.File
	sync func(*os.File) error // f.Sync; replaced in tests to count fsyncs

	mu       sync.Mutex
	cond     sync.Cond // signalled when a flush ends, on Close and on ctx cancellation
	buf      []byte    // entries appended but not yet handed to a flush
	spare    []byte    // the previous flush's buffer, reused
	next     int64     // sequence number of the last appended entry
	durable  int64     // sequence number of the last written and fsynced entry
	size     int64     // bytes written and fsynced
	flushing bool      // a committer is writing+fsyncing outside mu
	err      error     // sticky write/fsync error
	closed   bool
}

// OpenJournal opens (creating it 0600 if needed; never through a symlink) the journal at path for
// appending; new entries go after the current end of the file. The file must
// be empty or end with '\n': a torn tail left by a crash yields ErrTornTail,
// so run ReplayJournal and TruncateFile first. The caller must Close it.
func OpenJournal(path string) (*Journal, error) {
	return openJournal(path, (*os.File).Sync)
}

func openJournal(path string, sync func(*os.File) error) (*Journal, error) {
	f, err := OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	size, err := checkJournalTail(f)
	if err == nil {
		err = FsyncDir(filepath.Dir(path)) // make a newly created file durable
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	j := &Journal{path: path, f: f, sync: sync, size: size}
	j.cond.L = &j.mu
	return j, nil
}

// checkJournalTail returns the size of f, or ErrTornTail if f does not end
// with a complete line.
func checkJournalTail(f *os.File) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	ok, err := endsWithNewline(f, fi.Size())
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, ErrTornTail
	}
	return fi.Size(), nil
}

// Append buffers e and returns its sequence number (1 for the first entry
// of this Journal). Nothing is written until a Commit, Sync or Close covers
// it. Append panics if e.Op is not OpBegin or OpSettle: such an entry could
// never be replayed.
func (j *Journal) Append(e Entry) int64 {
	if err := e.validate(); err != nil {
		panic("state: journal append: " + err.Error())
	}
	b, err := json.Marshal(e)
	if err != nil {
		panic("state: journal append: " + err.Error()) // Entry has only strings and ints
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.buf = append(append(j.buf, b...), '\n')
	j.next++
	return j.next
}

// Commit blocks until every entry up to seq is written and fsynced, and
// returns nil then. It returns early with the context's error if ctx ends
// first; the entries stay buffered and the next Commit, Sync or Close
// writes them, but until then the caller must treat them as not durable.
// It returns ErrClosed after Close, the sticky error after a failed write
// or fsync, and an error for a seq that Append never returned.
func (j *Journal) Commit(ctx context.Context, seq int64) error {
	stop := context.AfterFunc(ctx, j.wake)
	defer stop()
	j.mu.Lock()
	defer j.mu.Unlock()
	for {
		switch {
		case j.durable >= seq:
			return nil
		case seq > j.next:
			return fmt.Errorf("commit journal: sequence %d was never appended", seq)
		case j.err != nil:
			return j.err
		case j.closed:
			return ErrClosed
		case ctx.Err() != nil:
			return fmt.Errorf("commit journal: %w", context.Cause(ctx))
		case !j.flushing:
			j.flushLocked()
		default:
			j.cond.Wait()
		}
	}
}

// wake wakes every waiting Commit so it can look at its context.
func (j *Journal) wake() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.cond.Broadcast()
}

// flushLocked writes and fsyncs everything buffered. It is called with mu
// held and !flushing; it releases mu during the I/O so Appends go on.
func (j *Journal) flushLocked() {
	buf, upto := j.buf, j.next
	j.buf, j.spare = j.spare[:0], nil
	j.flushing = true
	j.mu.Unlock()
	err := j.writeAndSync(buf)
	j.mu.Lock()
	j.flushing = false
	j.spare = buf[:0]
	if err != nil {
		j.err = fmt.Errorf("commit journal %s: %w", j.path, err)
	} else {
		j.durable, j.size = upto, j.size+int64(len(buf))
	}
	j.cond.Broadcast()
}

func (j *Journal) writeAndSync(buf []byte) error {
	if len(buf) == 0 {
		return nil
	}
	if _, err := j.f.Write(buf); err != nil {
		return err
	}
	return j.sync(j.f)
}

// Sync writes and fsyncs every entry appended before it was called.
func (j *Journal) Sync() error {
	j.mu.Lock()
	seq := j.next
	j.mu.Unlock()
	return j.Commit(context.Background(), seq)
}

// Size returns the number of bytes of the file known to be durable: its
// size at open plus everything written and fsynced since. It is the value
// to store as Snapshot.JournalSize after a Sync.
func (j *Journal) Size() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.size
}

// Close writes and fsyncs everything appended so far, then closes the file.
// Waiting Commits return (nil if covered, else ErrClosed). A second Close
// returns ErrClosed.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return ErrClosed
	}
	for j.err == nil && (j.flushing || j.durable < j.next) {
		if j.flushing {
			j.cond.Wait()
		} else {
			j.flushLocked()
		}
	}
	j.closed = true
	j.cond.Broadcast()
	err := j.err
	if cerr := j.f.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("close journal: %w", cerr))
	}
	return err
}
