package sink

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/state"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

func syncUser() *mapping.User {
	b := int64(642870000000)
	return &mapping.User{Key: "K1", UserName: "wei", Email: "wei@example.com", PhoneNumber: "+86-13800138000",
		Nickname: "Wei", Address: "Road 1", UserGroup: []string{"g1"}, Birthdate: &b,
		CustomizationAttributes: []mapping.Attribute{{Name: "dept", Value: "R&D", Type: "STRING"}, {Name: "team", Value: "a", Type: "STRING"}},
		IndexedAttributes:       [5]string{"K1"}}
}

func TestPlanUpdate(t *testing.T) {
	tests := []struct {
		name          string
		change        func(u *mapping.User)
		noOld         bool
		sent, cleared []string
		check         func(t *testing.T, r *ciam.UpdateUserRequest)
	}{
		{name: "nothing changed", change: func(*mapping.User) {}},
		{name: "email and nickname: the whole record is sent", change: func(u *mapping.User) { u.Email, u.Nickname = "w@example.com", "W" },
			sent: []string{"Email", "Nickname"}, check: func(t *testing.T, r *ciam.UpdateUserRequest) {
				if r.Email != "w@example.com" || r.Nickname != "W" {
					t.Errorf("request %+v", r)
				}
			}},
		{name: "one attribute sends the whole list", change: func(u *mapping.User) { u.CustomizationAttributes[1].Value = "b" },
			sent: []string{"CustomizationAttributes"}, check: func(t *testing.T, r *ciam.UpdateUserRequest) {
				if len(r.CustomizationAttributes) != 2 || r.CustomizationAttributes[1].Value != "b" {
					t.Errorf("attributes %+v", r.CustomizationAttributes)
				}
			}},
		{name: "a removed attribute is dropped by sending the rest", change: func(u *mapping.User) { u.CustomizationAttributes = u.CustomizationAttributes[:1] },
			sent: []string{"CustomizationAttributes"}},
		{name: "cleared fields cannot be sent", change: func(u *mapping.User) { u.Address, u.UserGroup, u.CustomizationAttributes = "", nil, nil },
			cleared: []string{"Address", "UserGroup", "CustomizationAttributes"}},
		{name: "a cleared field beside a change: the rest of the record is sent", change: func(u *mapping.User) { u.Address, u.Nickname = "", "W" },
			sent: []string{"Nickname"}, cleared: []string{"Address"}, check: func(t *testing.T, r *ciam.UpdateUserRequest) {
				if r.Address != "" || r.Nickname != "W" {
					t.Errorf("request %+v", r)
				}
			}},
		{name: "indexed attribute and org", change: func(u *mapping.User) { u.IndexedAttributes[3], u.UserOrg = "x", []string{"o1"} },
			sent: []string{"IndexedAttribute4", "UserOrg"}},
		{name: "group and birthdate", change: func(u *mapping.User) { b := int64(1); u.Birthdate, u.UserGroup = &b, []string{"g2", "g1"} },
			sent: []string{"Birthdate", "UserGroup"}},
		{name: "no digests: every field", noOld: true, change: func(*mapping.User) {},
			sent: []string{"Address", "Birthdate", "Email", "IndexedAttribute1", "Nickname", "PhoneNumber", "UserGroup", "UserName", "CustomizationAttributes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := syncUser().FieldDigests()
			if tt.noOld {
				old = nil
			}
			u := syncUser()
			tt.change(u)
			req, sent, cleared := planUpdate("store", "uid", old, u.FieldDigests(), u)
			if req.UserId != "uid" || req.UserStoreId != "store" {
				t.Errorf("request ids %+v", req)
			}
			if !slices.Equal(sent, tt.sent) || !slices.Equal(cleared, tt.cleared) {
				t.Errorf("sent %v, cleared %v; want %v, %v", sent, cleared, tt.sent, tt.cleared)
			}
			if want := wholeRecord("store", "uid", u); !reflect.DeepEqual(req, want) {
				t.Errorf("request\n got %+v\nwant the whole record %+v", req, want)
			}
			if tt.check != nil {
				tt.check(t, req)
			}
		})
	}
}

// What CIAM answers for a user fingerprints like the row that made it, so
// a user found by a lookup that already matches the row needs no update.
func TestCIAMDigestsMatchTheMappedRow(t *testing.T) {
	u := syncUser()
	req := buildRequest("store", u)
	c := &ciam.User{UserId: "uid", UserName: &req.UserName, Email: &req.Email, PhoneNumber: &req.PhoneNumber,
		Nickname: &req.Nickname, Address: &req.Address, UserGroups: req.UserGroup, Birthdate: req.Birthdate,
		IndexedAttribute1: &req.IndexedAttribute1}
	for _, a := range req.CustomizationAttributes {
		c.CustomAttributes = append(c.CustomAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value}) // no type: STRING
	}
	if got, want := ciamDigests(c), u.FieldDigests(); string(got) != string(want) {
		changed, _ := mapping.ChangedFields(want, got)
		t.Errorf("digests differ in %v", changed)
	}
	nick := "other"
	c.Nickname = &nick
	if changed, _ := mapping.ChangedFields(u.FieldDigests(), ciamDigests(c)); !slices.Equal(changed, []string{"Nickname"}) {
		t.Errorf("changed %v, want [Nickname]", changed)
	}
}

func TestFieldList(t *testing.T) {
	if got := fieldList([]string{"Email", "Password"}, []string{"Address"}); got != "Email;Password;-Address" {
		t.Errorf("fieldList = %q", got)
	}
}

// Whether UpdateUser merges or replaces is undocumented: a row of which
// one field changed is sent whole, so a replacing service keeps every
// unchanged field, and the report still names only the changed field.
func TestUpdateSendsTheWholeRecord(t *testing.T) {
	old := syncUser()
	api := ciamtest.New().Script(ciam.ActionDescribeUserByID, ciamtest.Answer{User: ciamUserOf(old, "uid")})
	s := newTestUpdate(t, api, 1, false)
	u := syncUser()
	u.Nickname = "W"
	j := &Row{User: u, Known: &Known{UserID: "uid", Old: old.FieldDigests()}}
	r := s.process(context.Background(), j)
	if !r.Settled || r.Entry.Outcome != "updated" || r.Entry.Fields != "Nickname" {
		t.Fatalf("result %+v, want updated with fields Nickname", r)
	}
	calls := api.Calls()[1:] // after the read-back
	if len(calls) != 1 || calls[0].Update == nil {
		t.Fatalf("calls %v, want one UpdateUser", api.Trace())
	}
	got := calls[0].Update
	if got.UserName != u.UserName || got.Email != u.Email || got.PhoneNumber != u.PhoneNumber || got.Address != u.Address ||
		got.Nickname != "W" || !slices.Equal(got.UserGroup, u.UserGroup) || got.Birthdate == nil || *got.Birthdate != *u.Birthdate ||
		got.IndexedAttribute1 != "K1" || len(got.CustomizationAttributes) != 2 {
		t.Errorf("UpdateUser %+v: want every mapped field", got)
	}
}

// A row an earlier run began and created, whose fields changed in the input
// before it settled: its user (found ours) is brought to the row as it is,
// password included, and the row is reported created, as an uninterrupted
// run over the input as it is would have.
func TestRefreshAChangedRowInFlight(t *testing.T) {
	was := syncUser()
	now := syncUser()
	now.Email, now.Password = "new@example.com", mapping.NewSecret("N3w-Passw0rd!")
	api := ciamtest.New()
	s := newTestUpdate(t, api, 1, false)
	j := &Row{User: now, Reconcile: true, Begun: &state.Position{Line: 9, Key: now.Key, Digest: was.Digest()}}
	if !changedSinceBegin(j) {
		t.Fatal("the row's digest differs from its begin's: it changed in flight")
	}
	r := s.refresh(context.Background(), j, ciamUserOf(was, "uid-1"))
	if !r.Settled || r.Entry.Outcome != "created" || r.Entry.UserID != "uid-1" || !strings.Contains(r.Entry.Message, "line 9") {
		t.Fatalf("result %+v, want created uid-1 naming the line it began at", r)
	}
	calls := api.Calls()
	if len(calls) != 2 || calls[0].Update == nil || calls[0].Update.Email != "new@example.com" || calls[1].SetPwd == nil {
		t.Fatalf("calls %v, want UpdateUser with the row as it is, then SetPassword", api.Trace())
	}
	j.Begun.Digest = now.Digest()
	if changedSinceBegin(j) {
		t.Error("an unchanged row is taken for changed")
	}
}
