package undo

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
)

// Users are deleted in batches of Batch ids, in created.csv order, and only
// those of created.csv: a user the run found (skipped) or updated is never
// sent.
func TestBatchesOnlyCreated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		batch int
		sizes []int
	}{
		{"one batch", 3, 50, []int{3}},
		{"exact", 4, 2, []int{2, 2}},
		{"remainder", 5, 2, []int{2, 2, 1}},
		{"default size", 120, 0, []int{50, 50, 20}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			created := ids("c", tc.n)
			dir := newStateDir(t, created, ids("s", 3), ids("u", 2))
			fake := ciamtest.New()
			sum := runUndo(t, config(dir, fake, tc.batch))
			calls := deleteCalls(fake)
			var sizes []int
			var sent []string
			for _, c := range calls {
				sizes = append(sizes, len(c))
				sent = append(sent, c...)
			}
			if !slices.Equal(sizes, tc.sizes) || !slices.Equal(sent, created) {
				t.Errorf("sent %v in batches %v, want %v in %v", sent, sizes, created, tc.sizes)
			}
			if sum.Deleted != tc.n || !sum.Complete() {
				t.Errorf("summary %+v, want %d deleted", sum, tc.n)
			}
			undone := readUndone(t, dir)
			if len(undone) != tc.n {
				t.Errorf("undone.csv has %d rows, want %d", len(undone), tc.n)
			}
			for _, id := range created {
				if undone[id][0] != string(Deleted) {
					t.Errorf("undone.csv: %s is %v", id, undone[id])
				}
			}
		})
	}
}

// A lost answer (in doubt) is never resent blindly: each id is looked up;
// a user gone counts as deleted, one still there is sent again.
func TestLostAnswerLooksUp(t *testing.T) {
	dir := newStateDir(t, ids("c", 3), nil, nil)
	fake := ciamtest.New().
		Script(ciam.ActionDeleteUsers, ciamtest.Answer{Err: inDoubt()}).
		Script(ciam.ActionDescribeUserByID, ciamtest.Answer{}, ciamtest.Answer{User: &ciam.User{UserId: "c2"}}, ciamtest.Answer{})
	sum := runUndo(t, config(dir, fake, 50))
	fake.CheckNoLeftovers(t)
	want := []string{"DeleteUsers", "DescribeUserById", "DescribeUserById", "DescribeUserById", "DeleteUsers"}
	if got := fake.Trace(); !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
	if calls := deleteCalls(fake); !slices.Equal(calls[1], []string{"c2"}) {
		t.Errorf("resent %v, want only c2 (the user still there)", calls[1])
	}
	if sum.Deleted != 3 || sum.Confirmed != 2 {
		t.Errorf("summary %+v, want 3 deleted, 2 confirmed by lookup", sum)
	}
	if msg := readUndone(t, dir)["c1"][1]; !strings.Contains(msg, "found the user gone") {
		t.Errorf("undone.csv message of c1 = %q", msg)
	}
}

// A batch refused for its content is looked up, and the users still there
// are sent one by one: one user refused alone is failed, the others deleted.
func TestRefusedBatchOneByOne(t *testing.T) {
	dir := newStateDir(t, ids("c", 3), nil, nil)
	refused := ciamtest.Err(ciam.ActionDeleteUsers, "FailedOperation.UserNotFound")
	fake := ciamtest.New().
		Script(ciam.ActionDeleteUsers, ciamtest.Answer{Err: refused}, ciamtest.Answer{}, ciamtest.Answer{Err: refused}).
		Always(ciam.ActionDescribeUserByID, ciamtest.Answer{User: &ciam.User{}})
	sum := runUndo(t, config(dir, fake, 50))
	got := deleteCalls(fake)
	want := [][]string{{"c1", "c2", "c3"}, {"c1"}, {"c2"}, {"c3"}}
	if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Errorf("DeleteUsers calls %v, want %v", got, want)
	}
	if sum.Deleted != 2 || sum.Failed != 1 || sum.Complete() {
		t.Errorf("summary %+v, want 2 deleted, 1 failed", sum)
	}
	if o := readUndone(t, dir)["c2"]; o[0] != string(Failed) {
		t.Errorf("undone.csv: c2 is %v, want failed", o)
	}
}

// A retryable answer is sent again after a back-off, the same ids.
func TestRetryableResent(t *testing.T) {
	dir := newStateDir(t, ids("c", 2), nil, nil)
	limited := ciamtest.Err(ciam.ActionDeleteUsers, "RequestLimitExceeded")
	fake := ciamtest.New().Script(ciam.ActionDeleteUsers, ciamtest.Answer{Err: limited})
	sum := runUndo(t, config(dir, fake, 50))
	if got := deleteCalls(fake); len(got) != 2 || !slices.Equal(got[0], got[1]) {
		t.Errorf("DeleteUsers calls %v, want the same batch twice", got)
	}
	if n := fake.Count(ciam.ActionDescribeUserByID); n != 0 || !sum.Complete() {
		t.Errorf("%d lookups after a retryable answer (want 0); summary %+v", n, sum)
	}
}

// A fatal answer stops the undo with its error; undone.csv still says
// what became of each user.
func TestFatalStops(t *testing.T) {
	dir := newStateDir(t, ids("c", 4), nil, nil)
	auth := ciamtest.Err(ciam.ActionDeleteUsers, "AuthFailure.SignatureFailure")
	fake := ciamtest.New().Script(ciam.ActionDeleteUsers, ciamtest.Answer{}, ciamtest.Answer{Err: auth})
	sum, err := Run(context.Background(), config(dir, fake, 2))
	if ce := (*ciam.Error)(nil); !errors.As(err, &ce) || ce.Class != ciam.Fatal {
		t.Fatalf("err = %v, want the fatal answer", err)
	}
	if sum.Deleted != 2 || sum.Failed != 2 {
		t.Errorf("summary %+v, want 2 deleted, 2 failed", sum)
	}
	if n := len(readUndone(t, dir)); n != 4 {
		t.Errorf("undone.csv has %d rows, want 4", n)
	}
}
