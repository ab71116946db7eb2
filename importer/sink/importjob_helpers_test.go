package sink

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/mapping"
)

// store is the user store behind the scripted fake: a scripted lookup
// answer (an error, or users) wins; otherwise lookups answer from the users
// the store holds, so a test says what exists, not the order of its
// lookups. A successful CreateApiImportUserJob stores the users of its
// request, except those whose legacy key is in lost (the job failed them).
type store struct {
	*ciamtest.Fake
	mu    sync.Mutex
	users []ciam.User
	lost  map[string]bool
}

func newStore() *store { return &store{Fake: ciamtest.New(), lost: map[string]bool{}} }

// hold puts users in the store.
func (s *store) hold(users ...ciam.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append(s.users, users...)
}

// where lists the stored users for which match holds.
func (s *store) where(match func(u *ciam.User) bool) []ciam.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ciam.User
	for i := range s.users {
		if match(&s.users[i]) {
			out = append(out, s.users[i])
		}
	}
	return out
}

func (s *store) DescribeUser(ctx context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error) {
	resp, err := s.Fake.DescribeUser(ctx, req)
	if err != nil || len(resp.Content) > 0 {
		return resp, err
	}
	f := req.Filters[0]
	users := s.where(func(u *ciam.User) bool {
		switch f.PropertyKey {
		case "lastModifiedDate":
			return true // every user of a test is new
		case "userName":
			return ciam.Value(u.UserName) == f.PropertyValue
		case "indexedAttribute1":
			return ciam.Value(u.IndexedAttribute1) == f.PropertyValue
		}
		panic("store: no filter " + f.PropertyKey)
	})
	from := min(int((req.Pageable.PageNumber-1)*req.Pageable.PageSize), len(users))
	to := min(from+int(req.Pageable.PageSize), len(users))
	return &ciam.DescribeUserResponse{Total: int64(len(users)), Content: users[from:to]}, nil
}

func (s *store) ListUserByProperty(ctx context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error) {
	resp, err := s.Fake.ListUserByProperty(ctx, req)
	if err != nil || len(resp.Users) > 0 {
		return resp, err
	}
	resp.Users = s.where(func(u *ciam.User) bool {
		switch req.PropertyCode {
		case ciam.PropertyEmail:
			return ciam.Value(u.Email) == req.PropertyValue
		case ciam.PropertyPhoneNumber:
			return ciam.Value(u.PhoneNumber) == req.PropertyValue
		}
		panic("store: no property " + req.PropertyCode)
	})
	return resp, nil
}

func (s *store) CreateApiImportUserJob(ctx context.Context, req *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
	resp, err := s.Fake.CreateApiImportUserJob(ctx, req)
	if err != nil || resp.Job == nil {
		return resp, err
	}
	for _, iu := range req.DataFlowUserCreateList {
		if !s.lost[iu.IndexedAttribute1] {
			s.hold(ciam.User{UserId: "uid-" + iu.IndexedAttribute1, UserName: &iu.UserName, Email: &iu.Email,
				PhoneNumber: &iu.PhoneNumber, IndexedAttribute1: &iu.IndexedAttribute1})
		}
	}
	return resp, nil
}

// jobHarness runs an ImportJob against a store, with an instant manual
// clock, and records what the sink asked of its Control.
type jobHarness struct {
	api   *store
	clock *fixture.Clock
	s     *ImportJob

	mu      sync.Mutex
	begins  []string // legacy keys, in order
	cancels []string
	halts   []error
	stopped chan struct{} // the Control's Stopped
	stop    sync.Once
}

// stopIntake closes Stopped, as the pipeline does on a halt or a signal.
func (h *jobHarness) stopIntake() { h.stop.Do(func() { close(h.stopped) }) }

// newJobHarness makes the sink; MaxJobs defaults to 1 here so the scripted
// answers meet the batches in order, and FlushAfter to an hour so only a
// full batch or the end of the input sends one.
func newJobHarness(api *store, opt JobOptions, legacyAttr int) *jobHarness {
	h := &jobHarness{api: api, clock: fixture.NewClock(), stopped: make(chan struct{})}
	if opt.MaxJobs == 0 {
		opt.MaxJobs = 1
	}
	if opt.FlushAfter == 0 {
		opt.FlushAfter = time.Hour
	}
	ctl := &Control{
		Pass:    1,
		Stopped: h.stopped,
		Begin: func(ctx context.Context, j *Row, name string) error {
			if name != NameJob {
				return fmt.Errorf("begun in sink %q", name)
			}
			api.Note("begin:" + j.User.Key)
			h.mu.Lock()
			defer h.mu.Unlock()
			h.begins = append(h.begins, j.User.Key)
			return ctx.Err()
		},
		Cancel: func(ctx context.Context, j *Row) error {
			api.Note("cancel:" + j.User.Key)
			h.mu.Lock()
			defer h.mu.Unlock()
			h.cancels = append(h.cancels, j.User.Key)
			return nil
		},
		Halt: func(err error) { // as the pipeline's: a halt stops intake
			h.mu.Lock()
			defer h.mu.Unlock()
			h.halts = append(h.halts, err)
			h.stopIntake()
		},
	}
	h.s = NewImportJob(ctl, api, NewFinder(api, fixture.Store, legacyAttr), fixture.Store, opt, h.clock.Now)
	h.s.sleep = h.clock.Sleep
	return h
}

// user is fixture.User(k) with a phone number of its own: fixture.User
// gives every key of the same length the same one, and a batch's rows
// must not find each other's users.
func user(k string) *mapping.User {
	u := fixture.User(k)
	n, err := strconv.Atoi(strings.TrimPrefix(k, "K"))
	if err != nil {
		panic("user: key " + k + " is not K<n>")
	}
	u.PhoneNumber = fmt.Sprintf("+86-1380000%04d", n)
	return u
}

// rows makes one row per key, numbered from line 2; each row's result
// channel holds two results, so a second Finish is seen, not a hang.
func rows(keys ...string) []*Row {
	var out []*Row
	for i, k := range keys {
		j := NewRow(fixture.RecordAt(i+2, nil))
		j.User = user(k)
		j.done = make(chan Result, 2)
		out = append(out, j)
	}
	return out
}

// serve runs the sink over rs until it returns (with a deadline) and
// returns each row's one result.
func (h *jobHarness) serve(t *testing.T, ctx context.Context, rs []*Row) []Result {
	t.Helper()
	in := make(chan *Row, len(rs))
	for _, j := range rs {
		in <- j
	}
	close(in)
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.s.Serve(ctx, in)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("Serve did not return (calls %v)", h.api.Trace())
	}
	out := make([]Result, len(rs))
	for i, j := range rs {
		select {
		case out[i] = <-j.done:
		default:
			t.Fatalf("row %s has no result (calls %v)", j.User.Key, h.api.Trace())
		}
		select {
		case r := <-j.done:
			t.Fatalf("row %s finished twice: %+v, then %+v", j.User.Key, out[i], r)
		default:
		}
	}
	return out
}

// outcomes names each result's outcome: "" for abandoned.
func outcomes(rs []Result) []string {
	var out []string
	for _, r := range rs {
		if !r.Settled {
			out = append(out, "")
			continue
		}
		out = append(out, r.Entry.Outcome)
	}
	return out
}

// imports lists the legacy keys of each CreateApiImportUserJob request.
func imports(f *ciamtest.Fake) [][]string {
	var out [][]string
	for _, c := range f.Calls() {
		if c.Import == nil {
			continue
		}
		var keys []string
		for _, iu := range c.Import.DataFlowUserCreateList {
			keys = append(keys, iu.IndexedAttribute1)
		}
		out = append(out, keys)
	}
	return out
}

// checkBegunBeforeSent fails t unless every user of every
// CreateApiImportUserJob request was begun, earlier in the trace.
func checkBegunBeforeSent(t *testing.T, f *ciamtest.Fake) {
	t.Helper()
	trace, sent := f.Trace(), imports(f)
	begun := map[string]bool{}
	k := 0
	for _, ev := range trace {
		if key, ok := strings.CutPrefix(ev, "begin:"); ok {
			begun[key] = true
		}
		if ev != ciam.ActionCreateApiImportUserJob {
			continue
		}
		for _, key := range sent[k] {
			if !begun[key] {
				t.Errorf("%s sent in job request %d before it was begun (trace %v)", key, k+1, trace)
			}
		}
		k++
	}
}

// lookupsOf spells the one-by-one lookups of users as ciamtest's Lookups:
// legacy id, user name, email, phone.
func lookupsOf(users ...*mapping.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, "DescribeUser:indexedAttribute1="+u.Key, "DescribeUser:userName="+u.UserName,
			"ListUserByProperty:email="+u.Email, "ListUserByProperty:phoneNumber="+u.PhoneNumber)
	}
	return out
}

// listing is the lookup listing the users modified since t.
func listing(t time.Time) string {
	return fmt.Sprintf("DescribeUser:lastModifiedDate=%d", t.UnixMilli())
}

// finished is a ListJobs answer with the jobs named, all completed.
func finished(ids ...string) ciamtest.Answer {
	var a ciamtest.Answer
	for _, id := range ids {
		a.Jobs = append(a.Jobs, ciam.Job{Id: id, Status: ciam.JobCompleted, Type: ciam.JobTypeImportUser})
	}
	return a
}

func job(id string) ciamtest.Answer {
	return ciamtest.Answer{Job: &ciam.Job{Id: id, Status: ciam.JobPending, Type: ciam.JobTypeImportUser}}
}

func (h *jobHarness) checkControl(t *testing.T, begins, cancels []string, halt string) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !slices.Equal(h.begins, begins) {
		t.Errorf("begins %v, want %v", h.begins, begins)
	}
	if !slices.Equal(h.cancels, cancels) {
		t.Errorf("cancels %v, want %v", h.cancels, cancels)
	}
	switch {
	case halt == "" && len(h.halts) > 0:
		t.Errorf("halted with %v", h.halts)
	case halt != "" && len(h.halts) != 1:
		t.Errorf("halted %d times (%v), want once with %q", len(h.halts), h.halts, halt)
	case halt != "" && !strings.Contains(h.halts[0].Error(), halt):
		t.Errorf("halted with %v, want %q", h.halts[0], halt)
	}
}
