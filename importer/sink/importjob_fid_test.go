package sink

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/mapping"
)

// The safe readings of the import job (issue 20): a FailedUsers entry is
// never believed alone, and a job ListJobs stops listing is settled by
// lookups rather than polled until the job timeout.

// lookupStore is ciamtest's fake whose user lookups answer from a set of
// users by the filter's value, so that rows of one batch can be looked up
// in any order. The listing of users changed since a job started finds
// nobody: every row is looked up one by one.
type lookupStore struct {
	*ciamtest.Fake
	users []ciam.User
}

func (s *lookupStore) DescribeUser(ctx context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error) {
	if _, err := s.Fake.DescribeUser(ctx, req); err != nil {
		return nil, err
	}
	f := req.Filters[0]
	users := s.matching(func(u *ciam.User) string {
		switch f.PropertyKey {
		case "userName":
			return ciam.Value(u.UserName)
		case "indexedAttribute1":
			return ciam.Value(u.IndexedAttribute1)
		case "wechatOpenId":
			return ciam.Value(u.WechatOpenId)
		}
		return "\x00 not a lookup" // lastModifiedDate: the listing finds nobody
	}, f.PropertyValue)
	return &ciam.DescribeUserResponse{Total: int64(len(users)), Content: users}, nil
}

func (s *lookupStore) ListUserByProperty(ctx context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error) {
	if _, err := s.Fake.ListUserByProperty(ctx, req); err != nil {
		return nil, err
	}
	users := s.matching(func(u *ciam.User) string {
		if req.PropertyCode == ciam.PropertyEmail {
			return ciam.Value(u.Email)
		}
		return ciam.Value(u.PhoneNumber)
	}, req.PropertyValue)
	return &ciam.ListUserByPropertyResponse{Users: users}, nil
}

func (s *lookupStore) matching(field func(*ciam.User) string, value string) []ciam.User {
	var out []ciam.User
	for i := range s.users {
		if field(&s.users[i]) == value {
			out = append(out, s.users[i])
		}
	}
	return out
}

// jobRun is an import-job sink over a lookupStore, on a manual clock.
type jobRun struct {
	api    *lookupStore
	clock  *fixture.Clock
	mu     sync.Mutex
	halted []error
	sink   *ImportJob
}

func newJobRun(legacyAttr int, users ...ciam.User) *jobRun {
	r := &jobRun{api: &lookupStore{Fake: ciamtest.New(), users: users}, clock: fixture.NewClock()}
	c := &Control{Pass: 1, Stopped: make(chan struct{}),
		Halt:   func(err error) { r.mu.Lock(); r.halted = append(r.halted, err); r.mu.Unlock() },
		Begin:  func(context.Context, *Row, string) error { return nil },
		Cancel: func(context.Context, *Row) error { return nil }}
	r.sink = NewImportJob(c, r.api, NewFinder(r.api, fixture.Store, legacyAttr), fixture.Store,
		JobOptions{Poll: time.Second, JobTimeout: 30 * time.Minute}, r.clock.Now)
	r.sink.sleep = r.clock.Sleep
	return r
}

// serve sends users through the sink as one batch and returns each row's
// result, in order.
func (r *jobRun) serve(t *testing.T, users ...*mapping.User) []Result {
	t.Helper()
	in := make(chan *Row, len(users))
	var rows []*Row
	for n, u := range users {
		j := NewRow(fixture.RecordAt(n+2, nil))
		j.User = u
		rows = append(rows, j)
		in <- j
	}
	close(in)
	done := make(chan struct{})
	go func() { r.sink.Serve(context.Background(), in); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("Serve did not return; calls %v", r.api.Trace())
	}
	out := make([]Result, len(rows))
	for i, j := range rows {
		out[i] = j.Wait()
	}
	return out
}

// hashedRow is a mapped row with an MD5 hash and identifiers of its own.
func hashedRow(key string) *mapping.User {
	u := hashedUser()
	u.Key, u.UserName, u.Email = key, "user-"+strings.ToLower(key), strings.ToLower(key)+"@example.com"
	u.PhoneNumber = fmt.Sprintf("+86-1380013%04d", len(key)*1000+int(key[len(key)-1]))
	u.IndexedAttributes[0] = key
	return u
}

// want is the part of a row's settle entry a test checks; Message is a
// substring.
type want struct {
	outcome, code, ident, message string
}

func checkResult(t *testing.T, row int, got Result, w want) {
	t.Helper()
	e := got.Entry
	if !got.Settled || e.Outcome != w.outcome || e.Code != w.code || e.Identifier != w.ident || !strings.Contains(e.Message, w.message) {
		t.Errorf("row %d: settled %v outcome %q code %q ident %q message %q\nwant outcome %q code %q ident %q message containing %q",
			row, got.Settled, e.Outcome, e.Code, e.Identifier, e.Message, w.outcome, w.code, w.ident, w.message)
	}
}

func completed(id string, failed ...ciam.FailedUsers) ciamtest.Answer {
	return ciamtest.Answer{Jobs: []ciam.Job{{Id: id, Status: ciam.JobCompleted, Type: ciam.JobTypeImportUser, FailedUsers: failed}}}
}

func TestImportJobFailedUsersConfirmedByLookup(t *testing.T) {
	a, b := hashedRow("A1"), hashedRow("B2")
	const emuReason = "FailedOperation.EmailAlreadyExists: email exists" // the emulator's lenient format: not parsed
	const zhReason = "邮箱已被占用"
	tests := []struct {
		name   string
		legacy int
		users  []ciam.User
		failed []ciam.FailedUsers
		want   []want
	}{
		{
			name:   "named, but our user exists: created (the job listed a user it imported)",
			users:  []ciam.User{fixture.CIAMUserOf("uid-a", a), fixture.CIAMUserOf("uid-b", b)},
			failed: []ciam.FailedUsers{{FailedUserIdentification: a.UserName, FailedReason: "succeeded"}},
			want:   []want{{outcome: "created"}, {outcome: "created"}},
		},
		{
			name:   "named by email, someone else's user holds it: a conflict showing the reason",
			users:  []ciam.User{fixture.Stranger("uid-x", a), fixture.CIAMUserOf("uid-b", b)},
			failed: []ciam.FailedUsers{{FailedUserIdentification: a.Email, FailedReason: zhReason}},
			want:   []want{{outcome: "conflict", code: codeFailedUser, ident: string(ciam.IdentEmail), message: zhReason}, {outcome: "created"}},
		},
		{
			name:   "named with a code-like reason, no user: rejected, the reason verbatim and never parsed",
			users:  []ciam.User{fixture.CIAMUserOf("uid-b", b)},
			failed: []ciam.FailedUsers{{FailedUserIdentification: a.PhoneNumber, FailedReason: emuReason}},
			want:   []want{{outcome: "rejected", code: codeFailedUser, message: emuReason}, {outcome: "created"}},
		},
		{
			name:   "named by legacy key, no user: rejected",
			legacy: 1,
			users:  []ciam.User{fixture.CIAMUserOf("uid-b", b)},
			failed: []ciam.FailedUsers{{FailedUserIdentification: a.Key, FailedReason: zhReason}},
			want:   []want{{outcome: "rejected", code: codeFailedUser, message: zhReason}, {outcome: "created"}},
		},
		{
			name:  "not named, no user: retryable, not rejected",
			users: []ciam.User{fixture.CIAMUserOf("uid-b", b)},
			want:  []want{{outcome: "retryable", code: "ImportJob.UserNotFound"}, {outcome: "created"}},
		},
		{
			name:   "an entry naming no row of the batch settles nothing",
			users:  []ciam.User{fixture.CIAMUserOf("uid-a", a), fixture.CIAMUserOf("uid-b", b)},
			failed: []ciam.FailedUsers{{FailedUserIdentification: "nobody@example.com", FailedReason: zhReason}},
			want:   []want{{outcome: "created"}, {outcome: "created"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newJobRun(tt.legacy, tt.users...)
			r.api.Script(ciam.ActionCreateApiImportUserJob, ciamtest.Answer{Job: &ciam.Job{Id: "job-1"}})
			r.api.Script(ciam.ActionListJobs, completed("job-1", tt.failed...))
			got := r.serve(t, a, b)
			for i := range got {
				checkResult(t, i, got[i], tt.want[i])
			}
			if len(r.halted) > 0 {
				t.Errorf("halted: %v", r.halted)
			}
			r.api.CheckNoLeftovers(t)
		})
	}
}

// An identifier two rows of a batch share names neither: the entry could
// be either row's, so both are settled as if unnamed, and the row whose
// user exists is created while the other is not reported rejected.
func TestImportJobFailedUserSharedIdentifier(t *testing.T) {
	a, b := hashedRow("A1"), hashedRow("B2")
	b.Email = a.Email
	r := newJobRun(0, fixture.CIAMUserOf("uid-b", b))
	r.api.Script(ciam.ActionCreateApiImportUserJob, ciamtest.Answer{Job: &ciam.Job{Id: "job-1"}})
	r.api.Script(ciam.ActionListJobs, completed("job-1", ciam.FailedUsers{FailedUserIdentification: a.Email, FailedReason: "邮箱重复"}))
	got := r.serve(t, a, b)
	// a: its email is b's user's; b: its own user.
	checkResult(t, 0, got[0], want{outcome: "conflict", ident: string(ciam.IdentEmail), code: "LocalLookup.AlreadyExists"})
	checkResult(t, 1, got[1], want{outcome: "created"})

	r = newJobRun(0) // nobody: neither row is rejected on an entry that may be the other's
	r.api.Script(ciam.ActionCreateApiImportUserJob, ciamtest.Answer{Job: &ciam.Job{Id: "job-1"}})
	r.api.Script(ciam.ActionListJobs, completed("job-1", ciam.FailedUsers{FailedUserIdentification: a.Email, FailedReason: "邮箱重复"}))
	got = r.serve(t, a, b)
	for i := range got {
		checkResult(t, i, got[i], want{outcome: "retryable", code: "ImportJob.UserNotFound"})
	}
}

func TestImportJobVanished(t *testing.T) {
	a, b := hashedRow("A1"), hashedRow("B2")
	running := ciamtest.Answer{Jobs: []ciam.Job{{Id: "job-1", Status: "RUNNING", Type: ciam.JobTypeImportUser}}}
	gone := ciamtest.Answer{} // ListJobs answers without the job
	tests := []struct {
		name      string
		polls     []ciamtest.Answer // ListJobs answers while following the job
		wantPolls int               // ListJobs calls in all, waitIdle's included
		want      []want
	}{
		{
			name:      "missing from three answers in a row: settled by lookup after the store is idle",
			polls:     []ciamtest.Answer{gone, gone, gone},
			wantPolls: 4,
			want:      []want{{outcome: "created"}, {outcome: "retryable", code: "ImportJob.Vanished", message: "no longer listed"}},
		},
		{
			name:      "missing twice, listed again, then vanished: the count starts over",
			polls:     []ciamtest.Answer{gone, gone, running, gone, gone, gone},
			wantPolls: 7,
			want:      []want{{outcome: "created"}, {outcome: "retryable", code: "ImportJob.Vanished"}},
		},
		{
			name:      "missing at first (not yet listed), then finished: settled by its result",
			polls:     []ciamtest.Answer{gone, gone, running, completed("job-1")},
			wantPolls: 4,
			want:      []want{{outcome: "created"}, {outcome: "retryable", code: "ImportJob.UserNotFound"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newJobRun(1, fixture.CIAMUserOf("uid-a", a))
			r.api.Script(ciam.ActionCreateApiImportUserJob, ciamtest.Answer{Job: &ciam.Job{Id: "job-1"}})
			r.api.Script(ciam.ActionListJobs, tt.polls...)
			start := r.clock.Now()
			got := r.serve(t, a, b)
			for i := range got {
				checkResult(t, i, got[i], tt.want[i])
			}
			if n := r.api.Count(ciam.ActionListJobs); n != tt.wantPolls {
				t.Errorf("%d ListJobs calls, want %d: %v", n, tt.wantPolls, r.api.Trace())
			}
			if waited := r.clock.Now().Sub(start); waited > time.Minute {
				t.Errorf("waited %s for a vanished job", waited)
			}
			if len(r.halted) > 0 {
				t.Errorf("halted: %v", r.halted)
			}
			r.api.CheckNoLeftovers(t)
		})
	}
}
