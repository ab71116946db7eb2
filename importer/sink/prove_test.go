package sink

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/mapping"
)

// newTestUpdate is the update sink of a test over api, with the legacy id
// in IndexedAttribute legacyAttr (0: none); password sends SetPassword.
func newTestUpdate(t *testing.T, api *ciamtest.Fake, legacyAttr int, password bool) *Update {
	c := &Control{Pass: 1, Stopped: make(chan struct{}), Halt: func(err error) { t.Errorf("halt: %v", err) }}
	return NewUpdate(c, api, NewFinder(api, "store", legacyAttr), "store", 1, password)
}

// ciamUserOf is the CIAM user id holding what u maps to.
func ciamUserOf(u *mapping.User, id string) *ciam.User {
	req := buildRequest("store", u)
	c := &ciam.User{UserId: id, UserName: &req.UserName, Email: &req.Email, PhoneNumber: &req.PhoneNumber,
		Nickname: &req.Nickname, Address: &req.Address, UserGroups: req.UserGroup, Birthdate: req.Birthdate,
		IndexedAttribute1: &req.IndexedAttribute1}
	for _, a := range req.CustomizationAttributes {
		c.CustomAttributes = append(c.CustomAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	return c
}

// Before UpdateUser (and SetPassword), the user the ledger names is read
// back and must be ours: its legacy-id attribute holds the row's key, or
// without one, its user name, email and phone number are the row's or
// the ledger's. A user that is not ours makes the row a conflict and is
// sent nothing; a user that is gone is reported gone.
func TestUpdateProvesTheUserOurs(t *testing.T) {
	stranger := func(u *mapping.User) { u.IndexedAttributes[0] = "K9" }
	tests := []struct {
		name       string
		legacyAttr int
		noOld      bool                // a ledger entry without digests
		row        func(*mapping.User) // this night's row, from syncUser
		inCIAM     func(*mapping.User) // what CIAM holds, from syncUser; nil: no user
		lookupErr  error
		outcome    string
		updated    bool
		says       []string // in the message
	}{
		{name: "legacy id is the row's key: updated", legacyAttr: 1, row: func(u *mapping.User) { u.Email = "new@example.com" },
			inCIAM: func(*mapping.User) {}, outcome: outcome.Updated.Name, updated: true},
		{name: "legacy id is another key: conflict", legacyAttr: 1, row: func(u *mapping.User) { u.Nickname = "W" },
			inCIAM: stranger, outcome: outcome.Conflict.Name, says: []string{"not ours", "IndexedAttribute1", "uid", "not updated"}},
		{name: "legacy id matches though every identifier changed", legacyAttr: 1, row: func(*mapping.User) {},
			inCIAM:  func(u *mapping.User) { u.UserName, u.Email, u.PhoneNumber = "x", "x@example.com", "+86-13900000000" },
			outcome: outcome.Updated.Name, updated: true},
		{name: "gone", legacyAttr: 1, row: func(u *mapping.User) { u.Nickname = "W" },
			outcome: outcome.Rejected.Name, says: []string{"gone"}},
		{name: "the read-back fails: retryable, nothing sent", legacyAttr: 1, row: func(u *mapping.User) { u.Nickname = "W" },
			inCIAM: func(*mapping.User) {}, lookupErr: ciamtest.ClassErr(ciam.ActionDescribeUserByID, ciam.Retryable, "InternalError"),
			outcome: outcome.Retryable.Name},
		{name: "no legacy attribute, identifiers are the row's", row: func(u *mapping.User) { u.Nickname = "W" },
			inCIAM: func(u *mapping.User) { u.IndexedAttributes[0] = "" }, outcome: outcome.Updated.Name, updated: true},
		{name: "no legacy attribute, identifiers are the ledger's (email changes)", row: func(u *mapping.User) { u.Email = "new@example.com" },
			inCIAM: func(u *mapping.User) { u.IndexedAttributes[0] = "" }, outcome: outcome.Updated.Name, updated: true},
		{name: "no legacy attribute, another user's identifiers: conflict",
			row:     func(u *mapping.User) { u.Nickname = "W" },
			inCIAM:  func(u *mapping.User) { u.Email, u.UserName = "other@example.com", "other" },
			outcome: outcome.Conflict.Name, says: []string{"not ours", "UserName, Email", "uid"}},
		{name: "no legacy attribute, no digests and the email changes: not proven", noOld: true,
			row: func(u *mapping.User) { u.Email = "new@example.com" }, inCIAM: func(*mapping.User) {},
			outcome: outcome.Conflict.Name, says: []string{"Email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := ciamtest.New()
			ans := ciamtest.Answer{Err: tt.lookupErr}
			if tt.inCIAM != nil {
				held := syncUser()
				tt.inCIAM(held)
				ans.User = ciamUserOf(held, "uid")
			}
			api.Script(ciam.ActionDescribeUserByID, ans)
			s := newTestUpdate(t, api, tt.legacyAttr, true)
			u := syncUser()
			u.Password = mapping.NewSecret("S3cret-pw!")
			tt.row(u)
			var old mapping.FieldDigests
			if !tt.noOld {
				old = syncUser().FieldDigests()
			}
			r := s.process(context.Background(), &Row{User: u, Known: &Known{UserID: "uid", Old: old}})
			e := r.Entry
			if !r.Settled || e.Outcome != tt.outcome {
				t.Fatalf("result %+v, want %s", r, tt.outcome)
			}
			trace := api.Trace()
			if len(trace) == 0 || trace[0] != ciam.ActionDescribeUserByID {
				t.Errorf("calls %v: want the read-back first", trace)
			}
			sent := slices.Contains(trace, ciam.ActionUpdateUser) || slices.Contains(trace, ciam.ActionSetPassword)
			if sent != tt.updated {
				t.Errorf("calls %v: update sent %v, want %v", trace, sent, tt.updated)
			}
			for _, want := range tt.says {
				if !strings.Contains(e.Message, want) {
					t.Errorf("message %q does not say %q", e.Message, want)
				}
			}
			if tt.outcome == outcome.Conflict.Name && e.Code != CodeNotOurs {
				t.Errorf("code %q, want %s", e.Code, CodeNotOurs)
			}
			for _, secret := range []string{"S3cret-pw!", "K9", "other@example.com"} {
				if strings.Contains(e.Message, secret) {
					t.Errorf("message %q holds the value %q", e.Message, secret)
				}
			}
		})
	}
}
