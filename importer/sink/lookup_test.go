package sink

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/mapping"
)

func TestFinderFind(t *testing.T) {
	describe, list := ciam.ActionDescribeUser, ciam.ActionListUserByProperty
	withAttr := func(n int, c ciam.User, v *string) ciam.User {
		c.IndexedAttribute1 = nil
		switch n {
		case 2:
			c.IndexedAttribute2 = v
		case 3:
			c.IndexedAttribute3 = v
		case 5:
			c.IndexedAttribute5 = v
		}
		return c
	}
	tests := []struct {
		name    string
		legacy  int
		script  func(u *mapping.User, f *ciamtest.Fake)
		want    verdict
		wantID  string
		ident   ciam.Identifier
		lookups []string
		wantErr bool
	}{
		{
			name:    "nobody, no legacy attribute: user name, email, phone in turn",
			script:  func(*mapping.User, *ciamtest.Fake) {},
			want:    absent,
			lookups: []string{"DescribeUser:userName=user-k1", "ListUserByProperty:email=k1@example.com", "ListUserByProperty:phoneNumber=+86-13800130002"},
		},
		{
			name: "ours by user name stops the search",
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{fixture.CIAMUserOf("uid-1", u)}})
			},
			want: ours, wantID: "uid-1",
			lookups: []string{"DescribeUser:userName=user-k1"},
		},
		{
			name: "email held by another user",
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, none)
				f.Script(list, ciamtest.Answer{Users: []ciam.User{fixture.Stranger("uid-x", u)}})
			},
			want: theirs, wantID: "uid-x", ident: ciam.IdentEmail,
			lookups: []string{"DescribeUser:userName=user-k1", "ListUserByProperty:email=k1@example.com"},
		},
		{
			name: "phone held by another user",
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, none)
				f.Script(list, none, ciamtest.Answer{Users: []ciam.User{fixture.Stranger("uid-x", u)}})
			},
			want: theirs, wantID: "uid-x", ident: ciam.IdentPhone,
			lookups: []string{"DescribeUser:userName=user-k1", "ListUserByProperty:email=k1@example.com", "ListUserByProperty:phoneNumber=+86-13800130002"},
		},
		{
			name: "user name held by another user",
			script: func(u *mapping.User, f *ciamtest.Fake) {
				s := fixture.Stranger("uid-x", u)
				s.UserName = ptr(u.UserName)
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{s}})
			},
			want: theirs, wantID: "uid-x", ident: ciam.IdentUserName,
			lookups: []string{"DescribeUser:userName=user-k1"},
		},
		{
			name: "ours among several users found",
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, none)
				f.Script(list, ciamtest.Answer{Users: []ciam.User{fixture.Stranger("uid-x", u), fixture.CIAMUserOf("uid-1", u)}})
			},
			want: ours, wantID: "uid-1",
			lookups: []string{"DescribeUser:userName=user-k1", "ListUserByProperty:email=k1@example.com"},
		},
		{
			name: "legacy attribute finds ours first", legacy: 2,
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{withAttr(2, fixture.CIAMUserOf("uid-1", u), ptr(u.Key))}})
			},
			want: ours, wantID: "uid-1",
			lookups: []string{"DescribeUser:indexedAttribute2=K1"},
		},
		{
			name: "legacy attribute 5", legacy: 5,
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, ciamtest.Answer{Users: []ciam.User{withAttr(5, fixture.CIAMUserOf("uid-1", u), ptr(u.Key))}})
			},
			want: ours, wantID: "uid-1",
			lookups: []string{"DescribeUser:indexedAttribute5=K1"},
		},
		{
			name: "legacy attribute absent, then identifiers in order", legacy: 3,
			script: func(u *mapping.User, f *ciamtest.Fake) {},
			want:   absent,
			lookups: []string{"DescribeUser:indexedAttribute3=K1", "DescribeUser:userName=user-k1",
				"ListUserByProperty:email=k1@example.com", "ListUserByProperty:phoneNumber=+86-13800130002"},
		},
		{
			name: "legacy attribute: same identifiers but no legacy id is not ours", legacy: 3,
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, none, ciamtest.Answer{Users: []ciam.User{withAttr(3, fixture.CIAMUserOf("uid-1", u), nil)}})
			},
			want: theirs, wantID: "uid-1", ident: ciam.IdentUserName,
			lookups: []string{"DescribeUser:indexedAttribute3=K1", "DescribeUser:userName=user-k1"},
		},
		{
			name: "legacy attribute: found by email with our key is ours", legacy: 2,
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, none, none) // e.g. an index lagging behind
				f.Script(list, ciamtest.Answer{Users: []ciam.User{withAttr(2, fixture.Stranger("uid-1", u), ptr(u.Key))}})
			},
			want: ours, wantID: "uid-1",
			lookups: []string{"DescribeUser:indexedAttribute2=K1", "DescribeUser:userName=user-k1", "ListUserByProperty:email=k1@example.com"},
		},
		{
			name: "a failing lookup stops the search",
			script: func(u *mapping.User, f *ciamtest.Fake) {
				f.Script(describe, none)
				f.Script(list, ciamtest.Answer{Err: ciamtest.Err(list, "FailedOperation.InvalidUserStore")})
			},
			wantErr: true,
			lookups: []string{"DescribeUser:userName=user-k1", "ListUserByProperty:email=k1@example.com"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := fixture.User("K1")
			api := ciamtest.New()
			tt.script(u, api)
			f := NewFinder(api, fixture.Store, tt.legacy)
			got, err := f.find(context.Background(), u)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v", err)
			}
			if !tt.wantErr {
				if got.verdict != tt.want || got.identifier != tt.ident {
					t.Errorf("verdict %v identifier %q, want %v %q", got.verdict, got.identifier, tt.want, tt.ident)
				}
				if id := userID(got.user); id != tt.wantID {
					t.Errorf("user %q, want %q", id, tt.wantID)
				}
			}
			if l := api.Lookups(); !slices.Equal(l, tt.lookups) {
				t.Errorf("lookups\n got %q\nwant %q", l, tt.lookups)
			}
			api.CheckNoLeftovers(t)
		})
	}
}

func userID(u *ciam.User) string {
	if u == nil {
		return ""
	}
	return u.UserId
}

// Without Original the service masks phone numbers and emails, and no
// lookup could ever recognise a user: every lookup must ask for originals.
func TestFinderAsksForOriginalValues(t *testing.T) {
	for _, legacy := range []int{0, 1} {
		api := ciamtest.New()
		f := NewFinder(api, fixture.Store, legacy)
		if _, err := f.find(context.Background(), fixture.User("K1")); err != nil {
			t.Fatal(err)
		}
		if len(api.Calls()) != 3+legacy {
			t.Fatalf("legacy %d: %d lookups", legacy, len(api.Calls()))
		}
		for _, c := range api.Calls() {
			switch {
			case c.Desc != nil:
				d := c.Desc
				if d.Original == nil || !*d.Original || d.UserStoreId != fixture.Store || d.Pageable.PageSize < 1 || d.Pageable.PageNumber != 1 ||
					len(d.Filters) != 1 || d.Filters[0].Logic == nil || !*d.Filters[0].Logic || d.Filters[0].OperateLogic != "=" {
					t.Errorf("DescribeUser request %+v: want Original, the store, one equality filter", *d)
				}
			case c.List != nil:
				if c.List.Original == nil || !*c.List.Original || c.List.UserStoreId != fixture.Store {
					t.Errorf("ListUserByProperty request %+v: want Original and the store", *c.List)
				}
			default:
				t.Errorf("unexpected call %s", c.Action)
			}
		}
	}
}

func TestIsOurs(t *testing.T) {
	u := fixture.User("K1") // user-k1, k1@example.com, +86-13800130002
	mask := func(c ciam.User, email, phone string) ciam.User {
		if email != "" {
			c.Email = ptr(email)
		}
		if phone != "" {
			c.PhoneNumber = ptr(phone)
		}
		return c
	}
	same := fixture.CIAMUserOf("uid", u)
	tests := []struct {
		name   string
		legacy int
		c      ciam.User
		want   bool
	}{
		{"same identifiers", 0, same, true},
		{"email differs in case only", 0, mask(same, "K1@Example.COM", ""), true},
		{"masked phone", 0, mask(same, "", "+86-138****0002"), false},
		{"masked email", 0, mask(same, "k1****@example.com", ""), false},
		{"masked both", 0, mask(same, "k1****@example.com", "+86-138****0002"), false},
		{"all masked", 0, ciam.User{UserName: ptr("use****-k1"), Email: ptr("k1****@example.com"), PhoneNumber: ptr("****")}, false},
		{"phone missing", 0, ciam.User{UserName: same.UserName, Email: same.Email}, false},
		{"other user name", 0, func() ciam.User { c := same; c.UserName = ptr("user-k2"); return c }(), false},
		{"other phone", 0, mask(same, "", "+86-13800130003"), false},
		{"legacy id matches", 1, same, true},
		{"legacy id matches, identifiers masked", 1, mask(same, "k1****@example.com", "+86-138****0002"), true},
		{"legacy id of another row", 1, func() ciam.User { c := same; c.IndexedAttribute1 = ptr("K2"); return c }(), false},
		{"legacy id masked", 1, func() ciam.User { c := same; c.IndexedAttribute1 = ptr("K****"); return c }(), false},
		{"legacy id missing", 1, func() ciam.User { c := same; c.IndexedAttribute1 = nil; return c }(), false},
		{"legacy id in another attribute", 4, same, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Finder{legacyAttr: tt.legacy}
			if got := f.isOurs(&tt.c, u); got != tt.want {
				t.Errorf("isOurs = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIndexedAttribute(t *testing.T) {
	c := &ciam.User{IndexedAttribute1: ptr("1"), IndexedAttribute2: ptr("2"), IndexedAttribute3: ptr("3"),
		IndexedAttribute4: ptr("4"), IndexedAttribute5: ptr("5")}
	for n := 1; n <= 5; n++ {
		if got := ciam.Indexed(c, n); got != fmt.Sprint(n) {
			t.Errorf("indexedAttribute(%d) = %q", n, got)
		}
	}
	if ciam.Value(nil) != "" {
		t.Error("ciam.Value(nil) is not empty")
	}
}

func ptr[T any](v T) *T { return &v }

var none = ciamtest.Answer{} // a lookup that finds nobody
