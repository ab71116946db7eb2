package canary_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/canary"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/mapping"
)

func ptr[T any](v T) *T { return &v }

// held is what CIAM holds for u, edited.
func held(u *mapping.User, edit func(*ciam.User)) *ciam.User {
	c := fixture.CIAMUserOf("id-"+u.Key, u)
	c.Status = ptr(canary.StatusNormal)
	if edit != nil {
		edit(&c)
	}
	return &c
}

// fields is "Field sent→got" for each difference, in order.
func fields(ds []canary.Diff) []string {
	var out []string
	for _, d := range ds {
		out = append(out, string(d.Path)+" "+d.Field+" "+d.Sent+"→"+d.Got)
	}
	return out
}

func TestCheck(t *testing.T) {
	social := fixture.User("S1")
	social.WechatOpenId, social.Gender, social.ResidentIdentityCard = "wx-1", "MALE", "110101199003070011"
	social.IdentityVerified = ptr(true)
	withAttr := fixture.User("A1")
	withAttr.CustomizationAttributes = []mapping.Attribute{{Name: "tier", Value: "gold", Type: "STRING"}}
	tests := []struct {
		name  string
		path  canary.Path
		user  *mapping.User
		held  *ciam.User
		want  []string
		hints []string // a word each difference's hint must hold ("" none)
	}{
		{"as sent", canary.PathCreate, fixture.User("K1"), held(fixture.User("K1"), nil), nil, nil},
		{"created NOT_ENABLED", canary.PathCreate, fixture.User("K2"),
			held(fixture.User("K2"), func(c *ciam.User) { c.Status = ptr("NOT_ENABLED") }),
			[]string{"CreateUser Status (not sent; NORMAL expected)→NOT_ENABLED"}, []string{"sign-in may be blocked until the user is enabled"}},
		{"no status returned", canary.PathCreate, fixture.User("K3"),
			held(fixture.User("K3"), func(c *ciam.User) { c.Status = nil }), nil, nil},
		{"birthdate through the import job", canary.PathImportJob, func() *mapping.User {
			u := fixture.User("K4")
			u.Birthdate = ptr(int64(655257600000))
			return u
		}(), held(fixture.User("K4"), func(c *ciam.User) { c.Birthdate = ptr(int64(655228800000)) }),
			[]string{"import job Birthdate 655257600000→655228800000"}, []string{"yyyy-MM-dd"}},
		{"an attribute dropped", canary.PathCreate, withAttr, held(withAttr, nil),
			[]string{"CreateUser CustomizationAttributes[tier] gold→"}, []string{"defined in the user store"}},
		{"ImportUser-only fields", canary.PathImportJob, social, held(social, func(c *ciam.User) {
			c.WechatOpenId, c.Gender, c.ResidentIdentityCard, c.IdentityVerified = ptr("wx-1"), ptr("FEMALE"), ptr("110101199003070099"), ptr(false)
		}), []string{"import job Gender MALE→FEMALE", "import job ResidentIdentityCard **************0011→**************0099",
			"import job IdentityVerified true→false"}, []string{"", "", ""}},
		{"ImportUser-only fields not returned", canary.PathImportJob, social, held(social, nil), nil, nil},
		{"update cleared a field", canary.PathUpdate, func() *mapping.User {
			u := fixture.User("K5")
			u.Nickname = "nick"
			return u
		}(), held(fixture.User("K5"), nil), []string{"UpdateUser Nickname nick→"}, []string{"replace rather than merge"}},
		{"user gone", canary.PathCreate, fixture.User("K6"), nil, []string{"CreateUser UserId id-K6→(no such user)"}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := ciamtest.New().Script(ciam.ActionDescribeUserByID, ciamtest.Answer{User: tt.held})
			diffs, err := canary.Check(context.Background(), api, "store", []canary.Row{{Line: 3, Path: tt.path, User: tt.user, UserID: "id-" + tt.user.Key}})
			if err != nil {
				t.Fatal(err)
			}
			if got := fields(diffs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("diffs = %q, want %q", got, tt.want)
			}
			for i, d := range diffs {
				if d.Line != 3 || d.Key != tt.user.Key {
					t.Errorf("diff %d at line %d key %s, want line 3 key %s", i, d.Line, d.Key, tt.user.Key)
				}
				if i < len(tt.hints) && !strings.Contains(d.Hint, tt.hints[i]) || i < len(tt.hints) && tt.hints[i] == "" && d.Hint != "" {
					t.Errorf("diff %d hint %q, want one holding %q", i, d.Hint, tt.hints[i])
				}
			}
			calls := api.Calls()
			if len(calls) != 1 || calls[0].ByID.UserId != "id-"+tt.user.Key || calls[0].ByID.Original == nil || !*calls[0].ByID.Original {
				t.Errorf("calls = %+v, want one DescribeUserById of id-%s with Original", calls, tt.user.Key)
			}
			api.CheckNoLeftovers(t)
		})
	}
}

func TestCheckWithoutUserIDAsksNothing(t *testing.T) {
	api := ciamtest.New()
	diffs, err := canary.Check(context.Background(), api, "store", []canary.Row{{Line: 1, Path: canary.PathImportJob, User: fixture.User("K")}})
	if err != nil || len(diffs) != 1 || diffs[0].Field != "UserId" || len(api.Calls()) != 0 {
		t.Errorf("Check = %+v, %v after %d calls; want one UserId difference and no call", diffs, err, len(api.Calls()))
	}
}

func TestCheckStopsAtAFailedRead(t *testing.T) {
	u1, u2 := fixture.User("K1"), fixture.User("K2")
	api := ciamtest.New().Script(ciam.ActionDescribeUserByID,
		ciamtest.Answer{User: held(u1, func(c *ciam.User) { c.Status = ptr("NOT_ENABLED") })},
		ciamtest.Answer{Err: ciamtest.Err(ciam.ActionDescribeUserByID, "AuthFailure.SignatureFailure")})
	diffs, err := canary.Check(context.Background(), api, "store",
		[]canary.Row{{Line: 1, User: u1, UserID: "a"}, {Line: 2, User: u2, UserID: "b"}})
	var ce *ciam.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "line 2") || len(diffs) != 1 {
		t.Errorf("Check = %+v, %v; want the first row's difference and the second's error", diffs, err)
	}
}

func TestPathOf(t *testing.T) {
	for name, want := range map[string]canary.Path{sink.NameJob: canary.PathImportJob, sink.NameUpdate: canary.PathUpdate, "create": canary.PathCreate} {
		if got := canary.PathOf(name); got != want {
			t.Errorf("PathOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestQuotaPerPath(t *testing.T) {
	if canary.NewQuota(0) != nil {
		t.Error("NewQuota(0) is a limit, want nil")
	}
	q := canary.NewQuota(2)
	var got []bool
	for _, p := range []canary.Path{canary.PathCreate, canary.PathImportJob, canary.PathCreate, canary.PathCreate, canary.PathImportJob, canary.PathImportJob} {
		got = append(got, q.Take(p))
	}
	if want := []bool{true, true, true, false, true, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("Take = %v, want %v", got, want)
	}
}
