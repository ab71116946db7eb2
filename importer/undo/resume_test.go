package undo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
)

// A run stopped between a batch's begin and its settle (here: cancelled
// while DeleteUsers was in flight, its answer lost) leaves the batch open;
// the next run looks each of its ids up before sending anything, counts the
// users gone as deleted, and sends only the others and the batches never
// begun.
func TestResumeAfterCrashBetweenBeginAndSettle(t *testing.T) {
	dir := newStateDir(t, ids("c", 4), nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	first := ciamtest.New().Script(ciam.ActionDeleteUsers, ciamtest.Answer{Hook: cancel, Err: inDoubt()})
	sum, err := Run(ctx, config(dir, first, 2))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: err = %v, want context.Canceled", err)
	}
	if sum.Deleted != 0 || sum.Pending != 4 {
		t.Errorf("first run: summary %+v, want nothing settled", sum)
	}
	if touched, _ := Touched(dir); !touched {
		t.Error("Touched is false after an undo began")
	}

	// c1 was deleted before the answer was lost, c2 was not.
	second := ciamtest.New().
		Script(ciam.ActionDescribeUserByID, ciamtest.Answer{}, ciamtest.Answer{User: &ciam.User{UserId: "c2"}})
	sum = runUndo(t, config(dir, second, 2))
	second.CheckNoLeftovers(t)
	want := []string{"DescribeUserById", "DescribeUserById", "DeleteUsers", "DeleteUsers"}
	if got := second.Trace(); !slices.Equal(got, want) {
		t.Errorf("second run's calls %v, want %v (lookups first)", got, want)
	}
	if got := lookups(second); !slices.Equal(got, []string{"c1", "c2"}) {
		t.Errorf("looked up %v, want the open batch c1 c2", got)
	}
	calls := deleteCalls(second)
	if !slices.Equal(calls[0], []string{"c2", "c3"}) || !slices.Equal(calls[1], []string{"c4"}) {
		t.Errorf("second run sent %v, want [c2 c3] [c4]: c1 is gone", calls)
	}
	if !sum.Complete() || sum.Confirmed != 1 {
		t.Errorf("second run: summary %+v, want all deleted, 1 confirmed", sum)
	}

	third := ciamtest.New()
	if sum := runUndo(t, config(dir, third, 2)); !sum.Complete() || len(third.Calls()) != 0 {
		t.Errorf("a third run made calls %v (summary %+v); everything was deleted", third.Trace(), sum)
	}
}

// A journal whose last line was torn by a crash is cut before the next
// entry is appended; a malformed line before the last is an error.
func TestTornJournal(t *testing.T) {
	dir := newStateDir(t, ids("c", 2), nil, nil)
	path := filepath.Join(dir, JournalFile)
	whole := `{"op":"begin","batch":1,"ids":["c1"]}` + "\n"
	if err := os.WriteFile(path, []byte(whole+`{"op":"settle","batch":1,"resu`), 0o600); err != nil {
		t.Fatal(err)
	}
	fake := ciamtest.New().Script(ciam.ActionDescribeUserByID, ciamtest.Answer{})
	if sum := runUndo(t, config(dir, fake, 50)); !sum.Complete() {
		t.Errorf("summary %+v", sum)
	}
	if got := deleteCalls(fake); len(got) != 1 || !slices.Equal(got[0], []string{"c2"}) {
		t.Errorf("sent %v, want only c2 (c1 looked up and gone)", got)
	}
	if _, _, err := replay(path); err != nil {
		t.Errorf("the journal after the cut does not replay: %v", err)
	}

	if err := os.WriteFile(path, []byte("garbage\n"+whole), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), config(dir, ciamtest.New(), 50)); err == nil {
		t.Error("a malformed line before the last was accepted")
	}
}

// A run refuses to resume a directory an undo touched, unless it starts
// over; starting over forgets the undo journal.
func TestCheckResume(t *testing.T) {
	dir := newStateDir(t, ids("c", 1), nil, nil)
	if err := CheckResume(dir, false); err != nil {
		t.Fatalf("untouched directory: %v", err)
	}
	runUndo(t, config(dir, ciamtest.New(), 50))
	if err := CheckResume(dir, false); !errors.Is(err, ErrUndone) {
		t.Errorf("resume after an undo: err = %v, want ErrUndone", err)
	}
	if err := CheckResume(dir, true); err != nil {
		t.Fatalf("restart after an undo: %v", err)
	}
	if touched, _ := Touched(dir); touched {
		t.Error("the undo journal survived a restart")
	}
}
