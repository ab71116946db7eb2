package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const deadline = 10 * time.Second

func entry(i int) Entry {
	return Entry{Op: OpSettle, Line: int64(i + 2), ID: fmt.Sprint(i * 10), Next: fmt.Sprint(i*10 + 10), Pos: int64(i*10 + 10),
		Key: fmt.Sprintf("k%d", i), Outcome: "conflict", Code: "FailedOperation.EmailAlreadyExists",
		Message: "a \"quoted\",\nmultiline message", Identifier: "email", Attempts: 2, Pass: 1}
}

func replayAll(t *testing.T, path string, from int64) ([]Entry, int64) {
	t.Helper()
	var got []Entry
	end, err := ReplayJournal(path, from, func(e Entry, _ int64) error {
		got = append(got, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, end
}

func TestJournal_AppendCommitReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), JournalFile)
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []Entry
	for i := range 3 {
		want = append(want, entry(i))
		if seq := j.Append(entry(i)); seq != int64(i+1) {
			t.Fatalf("seq = %d, want %d", seq, i+1)
		}
	}
	if j.Size() != 0 {
		t.Errorf("Size before commit = %d, want 0", j.Size())
	}
	if err := j.Commit(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	size := j.Size()
	if fi, _ := os.Stat(path); fi.Size() != size {
		t.Errorf("Size = %d, file has %d", size, fi.Size())
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)

	// Reopen: appends go after the existing entries, Size starts there.
	j, err = OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if j.Size() != size {
		t.Errorf("reopened Size = %d, want %d", j.Size(), size)
	}
	want = append(want, Entry{Op: OpBegin, Line: 9, ID: "90", Sink: "create", Key: "k9"})
	j.Append(want[3])
	if err := j.Close(); err != nil { // Close syncs
		t.Fatal(err)
	}
	got, end := replayAll(t, path, 0)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replay:\n got %+v\nwant %+v", got, want)
	}
	if fi, _ := os.Stat(path); end != fi.Size() {
		t.Errorf("validEnd = %d, file has %d", end, fi.Size())
	}
	// Replay from the reopen point yields only the new entry.
	if got, _ := replayAll(t, path, size); len(got) != 1 || got[0].Key != "k9" {
		t.Errorf("replay from %d = %+v", size, got)
	}
}

// syncCounter is an injectable fsync that counts calls.
type syncCounter struct{ n atomic.Int64 }

func (c *syncCounter) sync(f *os.File) error { c.n.Add(1); return f.Sync() }

// TestJournal_GroupCommit proves coalescing: while the first fsync is in
// flight every other worker appends, and one more write+fsync covers them all.
func TestJournal_GroupCommit(t *testing.T) {
	const workers = 50
	var syncs atomic.Int64
	var appended atomic.Int64
	allAppended := make(chan struct{})
	j, err := openJournal(filepath.Join(t.TempDir(), JournalFile), func(f *os.File) error {
		syncs.Add(1)
		select {
		case <-allAppended:
		case <-time.After(deadline):
			return errors.New("workers did not all append")
		}
		return f.Sync()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	errs := make(chan error, workers)
	for i := range workers {
		go func() {
			seq := j.Append(entry(i))
			if appended.Add(1) == workers {
				close(allAppended)
			}
			errs <- j.Commit(context.Background(), seq)
		}()
	}
	for range workers {
		if err := waitFor(t, errs, deadline, "commit"); err != nil {
			t.Fatal(err)
		}
	}
	if n := syncs.Load(); n < 1 || n > 2 {
		t.Errorf("%d workers committing cost %d fsyncs, want 1 or 2", workers, n)
	}
	if got, _ := replayAll(t, j.path, 0); len(got) != workers {
		t.Errorf("journal has %d entries, want %d", len(got), workers)
	}
}

// TestJournal_CommitHonoursContext: a Commit waiting behind a slow fsync
// returns when its context ends; its entry is written by a later Sync.
func TestJournal_CommitHonoursContext(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	j, err := openJournal(filepath.Join(t.TempDir(), JournalFile), func(f *os.File) error {
		entered <- struct{}{}
		<-release
		return f.Sync()
	})
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() { first <- j.Commit(context.Background(), j.Append(entry(1))) }()
	waitFor(t, entered, deadline, "first fsync")

	// The fsync is blocked until release, so this Commit can only wait, and
	// must give up when its deadline passes.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	second := make(chan error, 1)
	seq := j.Append(entry(2))
	go func() { second <- j.Commit(ctx, seq) }()
	if err := waitFor(t, second, deadline, "commit past its deadline"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Commit = %v, want context.DeadlineExceeded", err)
	}
	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if err := j.Commit(done, seq); !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit with a cancelled context = %v, want context.Canceled", err)
	}
	close(release)
	if err := waitFor(t, first, deadline, "first commit"); err != nil {
		t.Fatal(err)
	}
	if err := j.Sync(); err != nil { // writes entry 2; entered has room for its signal
		t.Fatal(err)
	}
	if got, _ := replayAll(t, j.path, 0); len(got) != 2 {
		t.Errorf("journal has %d entries, want 2", len(got))
	}
	_ = j.Close()
}

// TestJournal_Concurrent runs appends and commits from many goroutines
// (meant for -race) and checks every entry lands exactly once.
func TestJournal_Concurrent(t *testing.T) {
	const workers, perWorker = 16, 200
	var sc syncCounter
	j, err := openJournal(filepath.Join(t.TempDir(), JournalFile), sc.sync)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				seq := j.Append(Entry{Op: OpBegin, Key: fmt.Sprintf("w%d-%d", w, i)})
				if i%3 == 0 {
					if err := j.Commit(context.Background(), seq); err != nil {
						t.Error(err)
					}
				}
				_ = j.Size()
			}
		})
	}
	wg.Wait()
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := replayAll(t, j.path, 0)
	seen := map[string]bool{}
	for _, e := range got {
		if seen[e.Key] {
			t.Fatalf("duplicate %s", e.Key)
		}
		seen[e.Key] = true
	}
	if len(seen) != workers*perWorker {
		t.Errorf("%d entries, want %d", len(seen), workers*perWorker)
	}
	t.Logf("%d entries, %d fsyncs", len(got), sc.n.Load())
}

func TestJournal_StickyError(t *testing.T) {
	boom := errors.New("EIO")
	j, err := openJournal(filepath.Join(t.TempDir(), JournalFile), func(*os.File) error { return boom })
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Commit(context.Background(), j.Append(entry(1))); !errors.Is(err, boom) {
		t.Fatalf("Commit = %v, want %v", err, boom)
	}
	if err := j.Sync(); !errors.Is(err, boom) {
		t.Errorf("Sync after a failed fsync = %v, want %v", err, boom)
	}
	if j.Size() != 0 {
		t.Errorf("Size = %d after a failed fsync, want 0", j.Size())
	}
	if err := j.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want %v", err, boom)
	}
}

func TestJournal_Close(t *testing.T) {
	j, err := OpenJournal(filepath.Join(t.TempDir(), JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Commit(context.Background(), 5); err == nil {
		t.Error("Commit of a never appended seq must fail")
	}
	j.Append(entry(1)) // not committed: Close must write it
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := replayAll(t, j.path, 0); len(got) != 1 {
		t.Errorf("after Close: %d entries, want 1", len(got))
	}
	if err := j.Commit(context.Background(), j.Append(entry(2))); !errors.Is(err, ErrClosed) {
		t.Errorf("Commit after Close = %v, want ErrClosed", err)
	}
	if err := j.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
}

func TestJournal_AppendPanicsOnUnknownOp(t *testing.T) {
	j, err := OpenJournal(filepath.Join(t.TempDir(), JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	defer func() {
		if recover() == nil {
			t.Error("Append of an unknown op did not panic")
		}
	}()
	j.Append(Entry{Op: "sent"})
}

// Neither the journal nor the reports may ever carry a password. ("pass"
// is the retry pass number, an int.)
func TestEntry_NoSecretFields(t *testing.T) {
	secret := regexp.MustCompile(`(?i)passw|pwd|secret|salt|hash|credential|token`)
	typ := reflect.TypeFor[Entry]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if secret.MatchString(f.Name) || secret.MatchString(string(f.Tag)) {
			t.Errorf("Entry.%s looks like a secret", f.Name)
		}
	}
	if f, _ := typ.FieldByName("Pass"); f.Type.Kind() != reflect.Int {
		t.Error("Entry.Pass must stay the pass number")
	}
}
