package importer

import (
	"errors"
	"io"
	"os"
	"slices"
	"testing"

	"github.com/ciam-import/ciam-import/importer/report"
)

// finishedPass leaves a finished main pass: lines 2 and 5 created, 3 and 4
// retryable.
func finishedPass(t *testing.T) *resumeEnv {
	t.Helper()
	e := newResumeEnv(t, 4)
	st := e.open()
	s := e.run(st)
	for i, o := range []string{OutcomeCreated, OutcomeRetryable, OutcomeRetryable, OutcomeCreated} {
		e.begin(s, i)
		e.settle(s, i, o)
	}
	st.snap.Done = true
	if err := s.checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.close()
	return e
}

func checkRetryPass(t *testing.T, e *resumeEnv, st *runState) {
	t.Helper()
	if st.snap.Pass != 1 || st.snap.Done || st.snap.Offset != 0 || st.snap.Counts.Retryable != 0 || st.snap.Counts.Created != 2 {
		t.Errorf("snapshot %+v, want pass 1 from the start with 2 created", st.snap)
	}
	if s := e.snapshot(); s.Pass != 1 || s.Counts.Retryable != 0 {
		t.Errorf("snapshot on disk: pass %d, %d retryable", s.Pass, s.Counts.Retryable)
	}
	if got := reportLines(t, e.dir.RetryQueue()); !slices.Equal(got, []int64{3, 4}) {
		t.Errorf("retry queue holds lines %v, want [3 4]", got)
	}
	src, err := st.openSource(e.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var lines []int64
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, rec.Line)
	}
	if !slices.Equal(lines, []int64{3, 4}) {
		t.Errorf("the retry pass reads lines %v, want [3 4]", lines)
	}
}

func TestRetryPassStarts(t *testing.T) {
	e := finishedPass(t)
	st := e.open(retryPass)
	checkRetryPass(t, e, st)
	st.close()
	if got := reportLines(t, e.dir.Report(report.RetryableFile)); len(got) != 0 {
		t.Errorf("retryable.csv still holds %v in the retry pass", got)
	}
	st = e.open(retryPass) // resuming the retry pass: no second rotation
	defer st.close()
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
	if st.snap.Pass != 0 || !st.snap.Done {
		t.Errorf("plain run over a done pass: pass %d done %v", st.snap.Pass, st.snap.Done)
	}
	st.close()
	st = e.open(retryPass)
	checkRetryPass(t, e, st)
	st.close()
	st = e.open(retryPass)
	defer st.close()
	checkRetryPass(t, e, st)
}

func TestRetryPassRefusedOrEmpty(t *testing.T) {
	t.Run("main pass unfinished", func(t *testing.T) {
		e := newResumeEnv(t, 2)
		st := e.open()
		s := e.run(st)
		e.begin(s, 0)
		e.settle(s, 0, OutcomeRetryable)
		st.close()
		if _, err := e.tryOpen(retryPass); !errors.Is(err, ErrPassUnfinished) {
			t.Errorf("retry over an unfinished pass: %v", err)
		}
	})
	t.Run("nothing to retry", func(t *testing.T) {
		e := newResumeEnv(t, 1)
		st := e.open()
		s := e.run(st)
		e.begin(s, 0)
		e.settle(s, 0, OutcomeCreated)
		st.snap.Done = true
		if err := s.checkpoint(); err != nil {
			t.Fatal(err)
		}
		st.close()
		st = e.open(retryPass)
		defer st.close()
		if st.snap.Pass != 0 || !st.snap.Done {
			t.Errorf("pass %d done %v, want the finished main pass untouched", st.snap.Pass, st.snap.Done)
		}
	})
}

// If the new pass's snapshot cannot be written, the state directory must
// still open afterwards (the disk-full case: the operator frees space and
// runs again).
func TestRetryPassSnapshotFailureLeavesAUsableState(t *testing.T) {
	e := finishedPass(t)
	if err := os.Mkdir(e.dir.Snapshot()+".tmp", 0o700); err != nil { // WriteSnapshot's temp file cannot be created
		t.Fatal(err)
	}
	if _, err := e.tryOpen(retryPass); err == nil {
		t.Fatal("the retry pass started although its snapshot could not be written")
	}
	_ = os.Remove(e.dir.Snapshot() + ".tmp") // the disk has space again
	st, err := e.tryOpen(retryPass)
	if err != nil {
		t.Fatalf("the state directory no longer opens: %v", err)
	}
	defer st.close()
	checkRetryPass(t, e, st)
}
