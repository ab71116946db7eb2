package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// finishedPass leaves a finished main pass: lines 2 and 5 created, 3 and 4
// retryable.
func finishedPass(t *testing.T) *resumeEnv {
	t.Helper()
	e := newResumeEnv(t, 4)
	st := e.open()
	s := e.run(st)
	for i, o := range []outcome.Outcome{outcome.Created, outcome.Retryable, outcome.Retryable, outcome.Created} {
		e.begin(s, i)
		e.settle(s, i, o)
	}
	st.Snap.Done = true
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return e
}

func checkRetryPass(t *testing.T, e *resumeEnv, st *State) {
	t.Helper()
	c := st.Snap.Counts
	if st.Snap.Pass != 1 || st.Snap.Done || st.Snap.Cursor != "" || st.Snap.Pos != 0 || c.Of(outcome.Retryable) != 0 ||
		c.Of(outcome.Created) != 2 || c.Read() != 4 {
		t.Errorf("snapshot %+v, want pass 1 from the start with 2 created of 4 read", st.Snap)
	}
	if s := e.snapshot(); s.Pass != 1 || s.Counts.Of(outcome.Retryable) != 0 {
		t.Errorf("snapshot on disk: pass %d, %d retryable", s.Pass, s.Counts.Of(outcome.Retryable))
	}
	var queued []string
	if err := report.Read(e.dir.RetryQueue(), outcome.Retryable, func(r outcome.Row, _ int) error {
		queued = append(queued, fmt.Sprintf("%d:%s:%s", r.Line, r.ID, r.Key))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"3:" + e.recs[1].ID + ":K3", "4:" + e.recs[2].ID + ":K4"}; !slices.Equal(queued, want) {
		t.Errorf("retry queue holds %v, want %v (line:id:key)", queued, want)
	}
	src, err := st.OpenSource(e.opt.Input)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got []string
	for n := 1; ; n++ {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Err != nil || rec.Next != strconv.Itoa(n) || rec.Pos != int64(n) {
			t.Errorf("queued row %d: err %v, cursor %q pos %d; want the queue position %d", n, rec.Err, rec.Next, rec.Pos, n)
		}
		got = append(got, fmt.Sprintf("%d:%s:%v", rec.Line, rec.ID, rec.Fields["id"]))
	}
	if want := []string{"3:" + e.recs[1].ID + ":K3", "4:" + e.recs[2].ID + ":K4"}; !slices.Equal(got, want) {
		t.Errorf("the retry pass reads %v, want %v (line:id:key): the queued rows, reread from the input", got, want)
	}
}

func TestRetryPassStarts(t *testing.T) {
	e := finishedPass(t)
	st := e.open(retryPass)
	checkRetryPass(t, e, st)
	st.Close()
	if got := reportLines(t, e.dir.Report(report.RetryableFile)); len(got) != 0 {
		t.Errorf("retryable.csv still holds %v in the retry pass", got)
	}
	st = e.open(retryPass) // resuming the retry pass: no second rotation
	defer st.Close()
	checkRetryPass(t, e, st)
}

// A crash inside startRetryPass after the queue was renamed into place but
// before the new pass's snapshot: the next start completes the transition,
// once.
func TestRetryPassTransitionSurvivesACrash(t *testing.T) {
	e := finishedPass(t)
	data, err := os.ReadFile(e.dir.Report(report.RetryableFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.dir.RetryQueue(), data, 0o600); err != nil { // the rename done
		t.Fatal(err)
	}
	st := e.open() // a plain run in between is harmless: the pass is done
	if st.Snap.Pass != 0 || !st.Snap.Done {
		t.Errorf("plain run over a done pass: pass %d done %v", st.Snap.Pass, st.Snap.Done)
	}
	st.Close()
	st = e.open(retryPass)
	checkRetryPass(t, e, st)
	st.Close()
	st = e.open(retryPass)
	defer st.Close()
	checkRetryPass(t, e, st)
}

func TestRetryPassRefusedOrEmpty(t *testing.T) {
	t.Run("main pass unfinished", func(t *testing.T) {
		e := newResumeEnv(t, 2)
		st := e.open()
		s := e.run(st)
		e.begin(s, 0)
		e.settle(s, 0, outcome.Retryable)
		st.Close()
		if _, err := e.tryOpen(retryPass); !errors.Is(err, ErrPassUnfinished) {
			t.Errorf("retry over an unfinished pass: %v", err)
		}
	})
	t.Run("nothing to retry", func(t *testing.T) {
		e := newResumeEnv(t, 1)
		st := e.open()
		s := e.run(st)
		e.begin(s, 0)
		e.settle(s, 0, outcome.Created)
		st.Snap.Done = true
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
		st.Close()
		st = e.open(retryPass)
		defer st.Close()
		if st.Snap.Pass != 0 || !st.Snap.Done {
			t.Errorf("pass %d done %v, want the finished main pass untouched", st.Snap.Pass, st.Snap.Done)
		}
	})
}

// If the new pass's snapshot cannot be written, the state directory must
// still open afterwards (the disk-full case: the operator frees space and
// runs again).
func TestRetryPassSnapshotFailureLeavesAUsableState(t *testing.T) {
	e := finishedPass(t)
	writeRetrySnapshot = func(string, *state.Snapshot) error { return syscall.ENOSPC }
	_, err := e.tryOpen(retryPass)
	writeRetrySnapshot = state.WriteSnapshot // the disk has space again
	if err == nil {
		t.Fatal("the retry pass started although its snapshot could not be written")
	}
	st, err := e.tryOpen(retryPass)
	if err != nil {
		t.Fatalf("the state directory no longer opens: %v", err)
	}
	defer st.Close()
	checkRetryPass(t, e, st)
}

// A retry pass resumed halfway reads the queue from its cursor on, and a
// cursor that is not a queue position is refused.
func TestRetrySourceResumesAtItsCursor(t *testing.T) {
	e := finishedPass(t)
	st := e.open(retryPass)
	st.Close()
	src, err := openRetrySource(e.dir.RetryQueue(), e.opt.Input, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := src.Next()
	if err != nil || rec.Line != 4 || rec.ID != e.recs[2].ID || rec.Next != "2" || rec.Fields["id"] != "K4" {
		t.Errorf("first row after cursor 1: %+v (%v), want line 4 at queue position 2", rec, err)
	}
	if _, err := src.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the queue: %v, want io.EOF", err)
	}
	src.Close()
	for _, bad := range []string{"x", "-1", "10:3"} {
		if _, err := openRetrySource(e.dir.RetryQueue(), e.opt.Input, bad, nil); !errors.Is(err, source.ErrCursor) {
			t.Errorf("cursor %q: %v, want ErrCursor", bad, err)
		}
	}
	if _, err := openRetrySource(filepath.Join(t.TempDir(), "none.csv"), e.opt.Input, "", nil); err != nil {
		t.Errorf("a missing queue: %v, want an empty pass", err)
	}
}
