// Package ciamtest is a scripted fake of the CIAM API for unit tests: a
// queue of answers per action and a record of every call. It implements
// every method the importer's sinks and lookups call, so a test scripts
// exactly the answers its case needs and checks the calls made.
//
// When an action's queue is empty and no Always answer is set, CreateUser
// succeeds with a fresh user, lookups find nothing, UpdateUser and
// SetPassword and DeleteUsers succeed, ListJobs lists nothing, DescribeUserById finds no
// user, and CreateApiImportUserJob is refused with ErrNoJobs (a fatal
// error), so a test of the CreateUser path notices a row routed to the
// import job by mistake.
package ciamtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// Answer is one scripted reply. For CreateUser, User and RequestID make the
// success; for lookups, Users is the result; for CreateApiImportUserJob,
// Job; for ListJobs, Jobs. A non-nil Err wins. Hook, when set, runs first
// (e.g. to cancel the caller's context).
type Answer struct {
	User      *ciam.User
	Users     []ciam.User
	Job       *ciam.Job
	Jobs      []ciam.Job
	Groups    []ciam.UserGroup // ListUserGroups: the page
	GroupID   string           // CreateUserGroup: the new group's id
	RequestID string
	Err       error
	Hook      func()
}

// Call is one request the fake received; the field of its action is set.
type Call struct {
	Action string
	Create *ciam.CreateUserRequest
	List   *ciam.ListUserByPropertyRequest
	Desc   *ciam.DescribeUserRequest
	ByID   *ciam.DescribeUserByIdRequest
	Import *ciam.CreateApiImportUserJobRequest
	Jobs   *ciam.ListJobsRequest
	Update *ciam.UpdateUserRequest
	SetPwd *ciam.SetPasswordRequest
	Delete *ciam.DeleteUsersRequest
	ListG  *ciam.ListUserGroupsRequest
	NewG   *ciam.CreateUserGroupRequest
}

// ErrNoJobs is the default answer of CreateApiImportUserJob.
var ErrNoJobs = &ciam.Error{Class: ciam.Fatal, Code: "Test.NoImportJobs", Message: "this fake has no import jobs", Err: errors.New("no jobs")}

// Fake is the scripted API. It is safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	answers map[string][]Answer
	every   map[string]Answer
	calls   []Call
	trace   []string
	created int
	groups  []ciam.UserGroup // ListUserGroups' default answer; CreateUserGroup's default adds to it
}

// New returns a fake with nothing scripted.
func New() *Fake { return &Fake{answers: map[string][]Answer{}, every: map[string]Answer{}} }

// Script queues answers for action.
func (f *Fake) Script(action string, as ...Answer) *Fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[action] = append(f.answers[action], as...)
	return f
}

// Always makes a the answer of every call of action once its queue is empty.
func (f *Fake) Always(action string, a Answer) *Fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.every[action] = a
	return f
}

// Note appends an event (e.g. "begin") to the trace of calls.
func (f *Fake) Note(event string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trace = append(f.trace, event)
}

// next records c and returns its answer; ok is false when nothing was
// scripted for it.
func (f *Fake) next(c Call) (a Answer, ok bool) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.trace = append(f.trace, c.Action)
	if q := f.answers[c.Action]; len(q) > 0 {
		a, f.answers[c.Action], ok = q[0], q[1:], true
	} else {
		a, ok = f.every[c.Action]
	}
	f.mu.Unlock()
	if a.Hook != nil {
		a.Hook()
	}
	return a, ok
}

// CreateUser answers as scripted, or creates user auto-N.
func (f *Fake) CreateUser(_ context.Context, req *ciam.CreateUserRequest) (*ciam.CreateUserResponse, error) {
	a, ok := f.next(Call{Action: ciam.ActionCreateUser, Create: req})
	if !ok {
		f.mu.Lock()
		f.created++
		a = Answer{User: &ciam.User{UserId: fmt.Sprintf("auto-%d", f.created)}, RequestID: "auto-req"}
		f.mu.Unlock()
	}
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.CreateUserResponse{User: a.User, RequestId: a.RequestID}, nil
}

// ListUserByProperty answers as scripted, or finds nothing.
func (f *Fake) ListUserByProperty(_ context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error) {
	a, _ := f.next(Call{Action: ciam.ActionListUserByProperty, List: req})
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.ListUserByPropertyResponse{Users: a.Users, RequestId: a.RequestID}, nil
}

// DescribeUser answers as scripted, or finds nothing.
func (f *Fake) DescribeUser(_ context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error) {
	a, _ := f.next(Call{Action: ciam.ActionDescribeUser, Desc: req})
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.DescribeUserResponse{Total: int64(len(a.Users)), Content: a.Users, RequestId: a.RequestID}, nil
}

// DescribeUserById answers as scripted (User), or finds no user.
func (f *Fake) DescribeUserById(_ context.Context, req *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error) {
	a, _ := f.next(Call{Action: ciam.ActionDescribeUserByID, ByID: req})
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.DescribeUserByIdResponse{User: a.User, RequestId: a.RequestID}, nil
}

// CreateApiImportUserJob answers as scripted (Job), or refuses with ErrNoJobs.
func (f *Fake) CreateApiImportUserJob(_ context.Context, req *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
	a, ok := f.next(Call{Action: ciam.ActionCreateApiImportUserJob, Import: req})
	if !ok {
		return nil, ErrNoJobs
	}
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.CreateApiImportUserJobResponse{Job: a.Job, RequestId: a.RequestID}, nil
}

// ListJobs answers as scripted (Jobs), or lists nothing.
func (f *Fake) ListJobs(_ context.Context, req *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error) {
	a, _ := f.next(Call{Action: ciam.ActionListJobs, Jobs: req})
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.ListJobsResponse{JobSet: a.Jobs, RequestId: a.RequestID}, nil
}

// UpdateUser answers as scripted, or succeeds.
func (f *Fake) UpdateUser(_ context.Context, req *ciam.UpdateUserRequest) (*ciam.UpdateUserResponse, error) {
	a, _ := f.next(Call{Action: ciam.ActionUpdateUser, Update: req})
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.UpdateUserResponse{User: a.User, RequestId: a.RequestID}, nil
}

// SetPassword answers as scripted, or succeeds.
func (f *Fake) SetPassword(_ context.Context, req *ciam.SetPasswordRequest) (*ciam.SetPasswordResponse, error) {
	a, _ := f.next(Call{Action: ciam.ActionSetPassword, SetPwd: req})
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.SetPasswordResponse{RequestId: a.RequestID}, nil
}

// DeleteUsers answers as scripted, or succeeds.
func (f *Fake) DeleteUsers(_ context.Context, req *ciam.DeleteUsersRequest) (*ciam.DeleteUsersResponse, error) {
	a, _ := f.next(Call{Action: ciam.ActionDeleteUsers, Delete: req})
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.DeleteUsersResponse{RequestId: a.RequestID}, nil
}

// AddGroups adds groups the unscripted ListUserGroups lists.
func (f *Fake) AddGroups(gs ...ciam.UserGroup) *Fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groups = append(f.groups, gs...)
	return f
}

// ListUserGroups answers as scripted, or pages through the fake's groups
// (AddGroups and those CreateUserGroup made).
func (f *Fake) ListUserGroups(_ context.Context, req *ciam.ListUserGroupsRequest) (*ciam.ListUserGroupsResponse, error) {
	a, ok := f.next(Call{Action: ciam.ActionListUserGroups, ListG: req})
	if !ok {
		f.mu.Lock()
		from := min(len(f.groups), int((req.Pageable.PageNumber-1)*req.Pageable.PageSize))
		to := min(len(f.groups), from+int(req.Pageable.PageSize))
		a = Answer{Groups: slices.Clone(f.groups[from:to])}
		f.mu.Unlock()
	}
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.ListUserGroupsResponse{Content: a.Groups, Total: int64(len(a.Groups)), RequestId: a.RequestID}, nil
}

// CreateUserGroup answers as scripted, or creates group-N, which
// ListUserGroups lists from then on. A scripted answer with a GroupID adds
// that group too, also when it has an Err (the service stored the group
// and the answer was lost).
func (f *Fake) CreateUserGroup(_ context.Context, req *ciam.CreateUserGroupRequest) (*ciam.CreateUserGroupResponse, error) {
	a, ok := f.next(Call{Action: ciam.ActionCreateUserGroup, NewG: req})
	f.mu.Lock()
	defer f.mu.Unlock()
	if !ok {
		a.GroupID = fmt.Sprintf("group-%d", len(f.groups)+1)
	}
	if a.GroupID != "" {
		f.groups = append(f.groups, ciam.UserGroup{UserGroupId: a.GroupID, DisplayName: req.DisplayName, UserStoreId: req.UserStoreId})
	}
	if a.Err != nil {
		return nil, a.Err
	}
	return &ciam.CreateUserGroupResponse{UserGroupId: a.GroupID, RequestId: a.RequestID}, nil
}

// Calls returns the calls made so far, in order.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// Count returns how many calls of action were made.
func (f *Fake) Count(action string) int {
	n := 0
	for _, c := range f.Calls() {
		if c.Action == action {
			n++
		}
	}
	return n
}

// Lookups describes the user lookups made, in order, as "Action:key=value".
func (f *Fake) Lookups() []string {
	var out []string
	for _, c := range f.Calls() {
		switch {
		case c.Desc != nil:
			fl := c.Desc.Filters[0]
			out = append(out, "DescribeUser:"+fl.PropertyKey+"="+fl.PropertyValue)
		case c.List != nil:
			out = append(out, "ListUserByProperty:"+c.List.PropertyCode+"="+c.List.PropertyValue)
		}
	}
	return out
}

// Trace returns the actions called and the events noted, in order.
func (f *Fake) Trace() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.trace)
}

// Unscripted reports answers queued but never used: a sign the code under
// test made fewer calls than the script expected.
func (f *Fake) Unscripted() []string {
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

// CheckNoLeftovers fails t when answers were scripted and never used.
func (f *Fake) CheckNoLeftovers(t interface {
	Helper()
	Errorf(string, ...any)
}) {
	t.Helper()
	if left := f.Unscripted(); len(left) > 0 {
		t.Errorf("scripted answers never used: %v (calls: %v)", left, f.Trace())
	}
}

// Err is the *ciam.Error the client would return for code from action,
// classified by the real table (the idempotent class: use ClassErr for a
// create's in-doubt).
func Err(action, code string) *ciam.Error {
	class, ident := ciam.ClassifyCode(code)
	return &ciam.Error{Class: class, Code: code, Message: "fake " + code, RequestID: "rid-" + code,
		Identifier: ident, Action: action, Sent: true, Field: ciam.FieldOf(code)}
}

// ClassErr is a *ciam.Error of an explicit class, for classes a code alone
// cannot give (a read's in-doubt is retryable, a create's is not).
func ClassErr(action string, class ciam.Class, code string) *ciam.Error {
	e := Err(action, code)
	e.Class = class
	return e
}
