package importer

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

func TestCreateSinkProcess(t *testing.T) {
	create, describe, list := ciam.ActionCreateUser, ciam.ActionDescribeUser, ciam.ActionListUserByProperty
	tests := []sinkCase{
		{
			name: "success",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{User: ptr(ciamUserOf("uid-1", u)), RequestID: "req-1"})
			},
			want: outcome.Created.Name, creates: 1, begins: 1,
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-1" || e.RequestID != "req-1" || e.Attempts != 1 {
					t.Errorf("entry %+v, want uid-1, req-1, 1 attempt", e)
				}
			},
		},
		{
			name: "retryable then success",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: apiErr(create, "InternalError")}, ciamtest.Answer{User: ptr(ciamUserOf("uid-1", u)), RequestID: "req-2"})
			},
			want: outcome.Created.Name, creates: 2, begins: 1,
			check: func(t *testing.T, e state.Entry) {
				if e.Attempts != 2 || e.RequestID != "req-2" {
					t.Errorf("entry %+v, want 2 attempts", e)
				}
			},
		},
		{
			// The service stored the user, then refused the answer for the
			// rate: the pacer's resend meets AlreadyExists and the lookup
			// finds our own user. This run created it: not "skipped".
			name: "stored, then refused for the rate: the resend's AlreadyExists is our own user, created", legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				users := []ciam.User{ciamUserOf("uid-1", u)}
				stored := func() { users[0].CreatedDate = ptr(time.Now().UnixMilli()) } // when the first attempt arrives
				f.Script(create, ciamtest.Answer{Err: apiErr(create, "RequestLimitExceeded"), Hook: stored}, ciamtest.Answer{Err: emailUsed()})
				f.Script(describe, ciamtest.Answer{Users: users})
			},
			want: outcome.Created.Name, creates: 2, begins: 1, lookups: []string{"a"},
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-1" {
					t.Errorf("entry %+v, want uid-1", e)
				}
			},
		},
		{
			// Refused for the rate, resent, AlreadyExists: the user found was
			// created before this row was first sent (another state
			// directory's). Skipped: undo must never delete it.
			name: "refused for the rate, then AlreadyExists for a user created before: skipped", legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: apiErr(create, "RequestLimitExceeded")}, ciamtest.Answer{Err: emailUsed()})
				old := ciamUserOf("uid-old", u)
				old.CreatedDate = ptr(time.Now().Add(-time.Hour).UnixMilli())
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{old}})
			},
			want: outcome.Skipped.Name, creates: 2, begins: 1, lookups: []string{"a"},
		},
		conflictCase("email", "FailedOperation.EmailAlreadyExists", "email"),
		conflictCase("phone", "FailedOperation.PhoneNumberAlreadyExists", "phone_number"),
		conflictCase("user name", "FailedOperation.UserNameAlreadyExists", "user_name"),
		conflictCase("unnamed identifier", "FailedOperation.SomethingAlreadyExists", "unknown"),
		{
			name: "conflict, legacy attribute holds our key: imported before, skipped", legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: emailUsed()})
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-old", u)}})
			},
			want: outcome.Skipped.Name, creates: 1, begins: 1, lookups: []string{"a"},
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-old" || !strings.Contains(e.Message, "not by this state directory") {
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "conflict, legacy attribute: identifier held by another user", legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: emailUsed()})
				f.Script(describe, none, none)
				f.Script(list, ciamtest.Answer{Users: []ciam.User{stranger("uid-x", u)}})
			},
			want: outcome.Conflict.Name, creates: 1, begins: 1, lookups: []string{"a", "u", "e"},
			check: func(t *testing.T, e state.Entry) {
				if e.Identifier != "email" || e.Code != "FailedOperation.EmailAlreadyExists" || e.RequestID == "" {
					t.Errorf("entry %+v, want the email conflict with CIAM's code and request id", e)
				}
			},
		},
		{
			name: "in-doubt, lookup finds ours: created without a resend",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()})
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-9", u)}})
			},
			want: outcome.Created.Name, creates: 1, begins: 1, lookups: []string{"u"},
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-9" || e.RequestID != "" {
					t.Errorf("entry %+v, want the looked-up user", e)
				}
			},
		},
		{
			name: "in-doubt, legacy attribute finds ours: created, not skipped", legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()})
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-9", u)}})
			},
			want: outcome.Created.Name, creates: 1, begins: 1, lookups: []string{"a"},
		},
		{
			name: "in-doubt, legacy attribute finds nobody: resent after that one lookup", legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()}, ciamtest.Answer{User: ptr(ciamUserOf("uid-2", u)), RequestID: "req-2"})
			},
			want: outcome.Created.Name, creates: 2, begins: 1, lookups: []string{"a"},
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-2" || e.Attempts != 2+1 { // two sends, one lookup
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "in-doubt, legacy attribute finds nobody, resend collides with another user: conflict", legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()}, ciamtest.Answer{Err: emailUsed()})
				f.Script(describe, none, none, none)
				f.Script(list, ciamtest.Answer{Users: []ciam.User{stranger("uid-x", u)}})
			},
			want: outcome.Conflict.Name, creates: 2, begins: 1, lookups: []string{"a", "a", "u", "e"},
			check: func(t *testing.T, e state.Entry) {
				if e.Identifier != "email" || e.UserID != "" {
					t.Errorf("entry %+v, want the email conflict, no user of ours", e)
				}
			},
		},
		{
			name: "in-doubt, nobody found: resent once, then created",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()}, ciamtest.Answer{User: ptr(ciamUserOf("uid-2", u)), RequestID: "req-2"})
			},
			want: outcome.Created.Name, creates: 2, begins: 1, lookups: []string{"u", "e", "p"},
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-2" || e.Attempts != 2+3 { // two sends, three lookups
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "in-doubt every time: at most 3 sends, then retryable",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()}, ciamtest.Answer{Err: inDoubt()}, ciamtest.Answer{Err: inDoubt()})
			},
			want: outcome.Retryable.Name, creates: 3, begins: 1, lookups: rounds(3, "u", "e", "p"),
			check: func(t *testing.T, e state.Entry) {
				if e.Code != ciam.CodeTimeout || e.Attempts != 3*(1+3) { // each send and its three lookups
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "in-doubt, nobody found, resend conflicts with ours: created by the first send",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()}, ciamtest.Answer{Err: emailUsed()})
				f.Script(describe, none, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-3", u)}})
			},
			want: outcome.Created.Name, creates: 2, begins: 1, lookups: []string{"u", "e", "p", "u"},
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-3" {
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "in-doubt, identifier held by another user: conflict from the lookup",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()})
				f.Script(describe, none)
				f.Script(list, ciamtest.Answer{Users: []ciam.User{stranger("uid-x", u)}})
			},
			want: outcome.Conflict.Name, creates: 1, begins: 1, lookups: []string{"u", "e"},
			check: func(t *testing.T, e state.Entry) {
				if e.Identifier != "email" || e.Code != "LocalLookup.AlreadyExists" {
					t.Errorf("entry %+v", e)
				}
			},
		},
		rejectedCase("FailedOperation.EmailIsNull", "Email"),
		rejectedCase("FailedOperation.UserGroupNotFound", "UserGroup"),
		rejectedCase("FailedOperation.AttributeFormatError", "CustomizationAttributes"),
		rejectedCase("InvalidParameter.ParameterIllegal", ""),
		{
			name: "retryable until the attempts run out", maxTries: 4,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				for range 4 {
					f.Script(create, ciamtest.Answer{Err: apiErr(create, "RequestLimitExceeded")})
				}
			},
			want: outcome.Retryable.Name, creates: 4, begins: 1,
			check: func(t *testing.T, e state.Entry) {
				if e.Attempts != 4 || e.Code != "RequestLimitExceeded" || e.RequestID == "" {
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "fatal: halt, row sink.Abandoned",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: apiErr(create, "AuthFailure.SignatureFailure")})
			},
			creates: 1, begins: 1, cancels: 1, halt: "AuthFailure.SignatureFailure",
		},
		{
			// A fatal answer proves nothing was created: the begin is
			// voided, so the next run sends the row as new instead of
			// settling it by a lookup that cannot tell whose user it finds.
			name: "fatal after an in-doubt send: the begin stands, since the first send may have worked",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()}, ciamtest.Answer{Err: apiErr(create, "AuthFailure.SignatureFailure")})
			},
			creates: 2, begins: 1, lookups: []string{"u", "e", "p"}, halt: "AuthFailure.SignatureFailure",
		},
		{
			name: "fatal on a row reconciled absent: the earlier run's begin stands", reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: apiErr(create, "UnauthorizedOperation.ForbiddenAction")})
			},
			creates: 1, begins: 1, lookups: []string{"u", "e", "p"}, halt: "UnauthorizedOperation",
		},

		{
			name: "cancelled before the send: sink.Abandoned, no halt", cancel: "before",
			script: func(*mapping.User, *ciamtest.Fake, context.CancelFunc) {},
			begins: 1,
		},
		{
			name: "cancelled during the send: sink.Abandoned, no lookup",
			script: func(u *mapping.User, f *ciamtest.Fake, cancel context.CancelFunc) {
				e := classErr(create, ciam.InDoubt, ciam.CodeCanceled)
				e.Err = context.Canceled
				f.Script(create, ciamtest.Answer{Err: e, Hook: cancel})
			},
			creates: 1, begins: 1,
		},
		{
			name: "journal fails: halt before any send", beginErr: errors.New("disk full"),
			script: func(*mapping.User, *ciamtest.Fake, context.CancelFunc) {},
			begins: 1, halt: "journal row 7: disk full",
		},
		{
			name: "reconcile: ours, created without a send", legacy: 1, reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-r", u)}})
			},
			want: outcome.Created.Name, lookups: []string{"a"},
			check: func(t *testing.T, e state.Entry) {
				if e.UserID != "uid-r" || e.Attempts != 1 { // the lookup, no send
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "reconcile without legacy attribute: ours by identifiers", reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-r", u)}})
			},
			want: outcome.Created.Name, lookups: []string{"u"},
		},
		{
			name: "reconcile: identifier held by another user, conflict without a send", reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(describe, none)
				f.Script(list, ciamtest.Answer{Users: []ciam.User{stranger("uid-x", u)}})
			},
			want: outcome.Conflict.Name, lookups: []string{"u", "e"},
			check: func(t *testing.T, e state.Entry) {
				if e.Identifier != "email" {
					t.Errorf("entry %+v", e)
				}
			},
		},
		{
			name: "reconcile: absent, so begun and sent", legacy: 1, reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{User: ptr(ciamUserOf("uid-n", u)), RequestID: "req-n"})
			},
			want: outcome.Created.Name, creates: 1, begins: 1, lookups: []string{"a", "u", "e", "p"},
		},
		{
			name: "reconcile: absent, send conflicts with ours: created, not skipped", legacy: 1, reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: emailUsed()})
				f.Script(describe, none, none, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-r", u)}})
			},
			want: outcome.Created.Name, creates: 1, begins: 1, lookups: []string{"a", "u", "e", "p", "a"},
		},
		{
			name: "reconcile: absent, send conflicts, no legacy attribute: looked up, not reported blindly", reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: emailUsed()})
				f.Script(describe, none, ciamtest.Answer{Users: []ciam.User{ciamUserOf("uid-r", u)}})
			},
			want: outcome.Created.Name, creates: 1, begins: 1, lookups: []string{"u", "e", "p", "u"},
		},
		{
			name: "reconcile: fatal lookup halts before any send", reconcile: true, legacy: 1,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(describe, ciamtest.Answer{Err: apiErr(describe, "FailedOperation.InvalidUserStore")})
			},
			lookups: []string{"a"}, halt: "InvalidUserStore",
		},
		{
			name: "reconcile: lookup keeps failing, retryable without a send", reconcile: true,
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(describe, rounds3(ciamtest.Answer{Err: apiErr(describe, "InternalError")})...)
			},
			want: outcome.Retryable.Name, lookups: []string{"u", "u", "u"},
		},
		{
			name: "in-doubt, fatal lookup halts",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()})
				f.Script(describe, ciamtest.Answer{Err: apiErr(describe, "AuthFailure.SecretIdNotFound")})
			},
			creates: 1, begins: 1, lookups: []string{"u"}, halt: "AuthFailure.SecretIdNotFound",
		},
		{
			name: "in-doubt, lookup keeps failing: retryable, never resent",
			script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
				f.Script(create, ciamtest.Answer{Err: inDoubt()})
				f.Script(describe, rounds3(ciamtest.Answer{Err: classErr(describe, ciam.Retryable, ciam.CodeTimeout)})...)
			},
			want: outcome.Retryable.Name, creates: 1, begins: 1, lookups: []string{"u", "u", "u"},
			check: func(t *testing.T, e state.Entry) {
				if e.Code != ciam.CodeTimeout {
					t.Errorf("entry %+v", e)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runSinkCase(t, tt) })
	}
}

func rounds3(a ciamtest.Answer) []ciamtest.Answer { return []ciamtest.Answer{a, a, a} }

func conflictCase(what, code, ident string) sinkCase {
	return sinkCase{
		name: "conflict on " + what + " without legacy attribute: reported, no lookup",
		script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
			f.Script(ciam.ActionCreateUser, ciamtest.Answer{Err: apiErr(ciam.ActionCreateUser, code)})
		},
		want: outcome.Conflict.Name, creates: 1, begins: 1,
		check: func(t *testing.T, e state.Entry) {
			if e.Identifier != ident || e.Code != code || e.RequestID != "rid-"+code || e.Attempts != 1 {
				t.Errorf("entry %+v, want identifier %q and code %q", e, ident, code)
			}
		},
	}
}

func rejectedCase(code, field string) sinkCase {
	return sinkCase{
		name: "rejected " + code,
		script: func(u *mapping.User, f *ciamtest.Fake, _ context.CancelFunc) {
			f.Script(ciam.ActionCreateUser, ciamtest.Answer{Err: apiErr(ciam.ActionCreateUser, code)})
		},
		want: outcome.Rejected.Name, creates: 1, begins: 1,
		check: func(t *testing.T, e state.Entry) {
			if e.Field != field || e.Code != code || !strings.HasPrefix(e.Message, code+": ") || e.RequestID == "" {
				t.Errorf("entry %+v, want field %q", e, field)
			}
		},
	}
}

func TestCreateSinkSendsTheMappedUser(t *testing.T) {
	u := testUser("K1")
	u.Nickname, u.UserGroup = "Nick", []string{"g1"}
	u.IndexedAttributes[3] = "batch-7"
	u.CustomizationAttributes = []mapping.Attribute{{Name: "dept", Value: "Sales", Type: "STRING"}}
	api := ciamtest.New().Script(ciam.ActionCreateUser, ciamtest.Answer{Err: inDoubt()})
	h := newSinkHarness(api, 0, 3)
	h.process(context.Background(), testJob(u))
	if len(api.Calls()) != 5 || api.Calls()[0].Create == nil || api.Calls()[4].Create == nil {
		t.Fatalf("calls %v, want create, 3 lookups, create", api.Trace())
	}
	req := api.Calls()[0].Create
	if req.UserStoreId != testStore || req.UserName != u.UserName || req.Email != u.Email || req.PhoneNumber != u.PhoneNumber ||
		req.Password != "s3cret!K1" || req.Nickname != "Nick" || req.IndexedAttribute1 != "K1" || req.IndexedAttribute4 != "batch-7" ||
		!slices.Equal(req.UserGroup, u.UserGroup) || len(req.CustomizationAttributes) != 1 || req.CustomizationAttributes[0].Name != "dept" {
		t.Errorf("request %+v does not carry the mapped user", *req)
	}
	if api.Calls()[4].Create != req {
		t.Error("the resend is not the same request")
	}
}
