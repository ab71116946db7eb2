package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// answer is one scripted reply of fakeAPI. For CreateUser, user and
// requestID make the success; for lookups, users is the result. A non-nil
// err wins. hook, when set, runs first (e.g. to cancel the caller's context).
type answer struct {
	user      *ciam.User
	users     []ciam.User
	requestID string
	err       error
	hook      func()
}

// apiCall is one request fakeAPI received.
type apiCall struct {
	action string
	create *ciam.CreateUserRequest
	list   *ciam.ListUserByPropertyRequest
	desc   *ciam.DescribeUserRequest
}

// fakeAPI is a scripted API: a queue of answers per action, and a record of
// every call. When an action's queue is empty, CreateUser succeeds with a
// fresh user and lookups find nothing. trace, shared with the begin hook of
// the tests, holds "begin" and action names in the order they happened.
type fakeAPI struct {
	mu      sync.Mutex
	answers map[string][]answer
	every   map[string]answer // the answer of an action whose queue is empty, if set
	calls   []apiCall
	trace   []string
	created int
}

func newFakeAPI() *fakeAPI { return &fakeAPI{answers: map[string][]answer{}} }

// script queues answers for action.
func (f *fakeAPI) script(action string, as ...answer) *fakeAPI {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[action] = append(f.answers[action], as...)
	return f
}

// always makes a the answer of every call of action once its queue is
// empty.
func (f *fakeAPI) always(action string, a answer) *fakeAPI {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.every == nil {
		f.every = map[string]answer{}
	}
	f.every[action] = a
	return f
}

// note appends an event to the trace.
func (f *fakeAPI) note(event string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trace = append(f.trace, event)
}

func (f *fakeAPI) next(c apiCall) answer {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.trace = append(f.trace, c.action)
	q := f.answers[c.action]
	var a answer
	if len(q) > 0 {
		a, f.answers[c.action] = q[0], q[1:]
	} else if e, ok := f.every[c.action]; ok {
		a = e
	} else if c.action == ciam.ActionCreateUser {
		f.created++
		a = answer{user: &ciam.User{UserId: fmt.Sprintf("auto-%d", f.created)}, requestID: "auto-req"}
	}
	f.mu.Unlock()
	if a.hook != nil {
		a.hook()
	}
	return a
}

func (f *fakeAPI) CreateUser(_ context.Context, req *ciam.CreateUserRequest) (*ciam.CreateUserResponse, error) {
	a := f.next(apiCall{action: ciam.ActionCreateUser, create: req})
	if a.err != nil {
		return nil, a.err
	}
	return &ciam.CreateUserResponse{User: a.user, RequestId: a.requestID}, nil
}

func (f *fakeAPI) ListUserByProperty(_ context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error) {
	a := f.next(apiCall{action: ciam.ActionListUserByProperty, list: req})
	if a.err != nil {
		return nil, a.err
	}
	return &ciam.ListUserByPropertyResponse{Users: a.users, RequestId: a.requestID}, nil
}

func (f *fakeAPI) DescribeUser(_ context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error) {
	a := f.next(apiCall{action: ciam.ActionDescribeUser, desc: req})
	if a.err != nil {
		return nil, a.err
	}
	return &ciam.DescribeUserResponse{Total: int64(len(a.users)), Content: a.users, RequestId: a.requestID}, nil
}

// count returns how many calls of action were made.
func (f *fakeAPI) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.action == action {
			n++
		}
	}
	return n
}

// lookups describes the lookups made, in order, as "Action:key=value".
func (f *fakeAPI) lookups() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		switch {
		case c.desc != nil:
			fl := c.desc.Filters[0]
			out = append(out, "DescribeUser:"+fl.PropertyKey+"="+fl.PropertyValue)
		case c.list != nil:
			out = append(out, "ListUserByProperty:"+c.list.PropertyCode+"="+c.list.PropertyValue)
		}
	}
	return out
}

func (f *fakeAPI) traceCopy() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.trace)
}

// unscripted reports answers queued but never used: a sign the code under
// test made fewer calls than the script expected.
func (f *fakeAPI) unscripted() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var left []string
	for action, q := range f.answers {
		if len(q) > 0 {
			left = append(left, fmt.Sprintf("%s x%d", action, len(q)))
		}
	}
	slices.Sort(left)
	return left
}

// apiErr is the *ciam.Error the client would return for code, classified by
// the real table.
func apiErr(action, code string) *ciam.Error {
	class, ident := ciam.ClassifyCode(code) // the idempotent class: tests that need a create's in-doubt use classErr
	return &ciam.Error{Class: class, Code: code, Message: "fake " + code, RequestID: "rid-" + code,
		Identifier: ident, Action: action, Sent: true, Field: ciam.FieldOf(code)}
}

// classErr is a *ciam.Error of an explicit class, for classes a code alone
// cannot give (a read's in-doubt is retryable, a create's is not).
func classErr(action string, class ciam.Class, code string) *ciam.Error {
	e := apiErr(action, code)
	e.Class = class
	return e
}

var (
	inDoubt   = func() *ciam.Error { return apiErr(ciam.ActionCreateUser, ciam.CodeTimeout) }
	emailUsed = func() *ciam.Error { return apiErr(ciam.ActionCreateUser, "FailedOperation.EmailAlreadyExists") }
)

// testUser is a mapped row with every identifier set.
func testUser(key string) *mapping.User {
	u := &mapping.User{Key: key, UserName: "user-" + strings.ToLower(key), Email: strings.ToLower(key) + "@example.com",
		PhoneNumber: "+86-1380013" + fmt.Sprintf("%04d", len(key)), Password: mapping.NewSecret("s3cret!" + key)}
	u.IndexedAttributes[0] = key
	return u
}

// ciamUserOf is the CIAM user a successful CreateUser of u makes.
func ciamUserOf(id string, u *mapping.User) ciam.User {
	return ciam.User{UserId: id, UserName: ptr(u.UserName), Email: ptr(u.Email), PhoneNumber: ptr(u.PhoneNumber),
		IndexedAttribute1: ptr(u.IndexedAttributes[0])}
}

// stranger is another user holding some of u's identifiers.
func stranger(id string, u *mapping.User) ciam.User {
	return ciam.User{UserId: id, UserName: ptr("someone-else"), Email: ptr(u.Email), PhoneNumber: ptr("+86-13900000000"),
		IndexedAttribute1: ptr("OTHER-KEY")}
}

func ptr[T any](v T) *T { return &v }

// testJob is a job for u at a fixed position in the input.
func testJob(u *mapping.User) *job {
	j := newJob(source.Record{Line: 7, ID: "700", Next: "800:8", Pos: 800, Offset: 700, End: 800, EndLine: 8})
	j.user = u
	return j
}

// noSleep is a backoff sleep that returns at once (unless ctx has ended).
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// fastPacer is unlimited, retries up to attempts times and never sleeps.
func fastPacer(attempts int, opts ...pace.Option) *pace.Pacer {
	return newPacer(0, pace.RetryPolicy{MaxAttempts: attempts, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		append([]pace.Option{pace.WithSleep(noSleep)}, opts...)...)
}

// fakeClock is a manual clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// checkNoLeftovers fails the test when the fake API still holds answers.
func checkNoLeftovers(t *testing.T, f *fakeAPI) {
	t.Helper()
	if left := f.unscripted(); len(left) > 0 {
		t.Errorf("scripted answers never used: %v (calls: %v)", left, f.traceCopy())
	}
}
