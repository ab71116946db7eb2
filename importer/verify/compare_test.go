package verify

import (
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

func str(s string) *string { return &s }

// sameUsers are a row and the CIAM user that holds it exactly (email in
// another case, groups in another order).
func sameUsers() (*mapping.User, *ciam.User) {
	bd := int64(86400000)
	u := &mapping.User{Key: "K1", UserName: "ann", Email: "Ann@example.com", PhoneNumber: "+86-13800138000",
		Nickname: "Ann", UserGroup: []string{"g2", "g1"}, Birthdate: &bd,
		IndexedAttributes:       [5]string{"K1"},
		CustomizationAttributes: []mapping.Attribute{{Name: "dept", Value: "Sales"}, {Name: "empty", Value: ""}},
		Password:                mapping.NewSecret("Secr3t!pw")}
	c := &ciam.User{UserId: "u1", UserName: str("ann"), Email: str("ann@example.com"), PhoneNumber: str("+86-13800138000"),
		Nickname: str("Ann"), UserGroups: []string{"g1", "g2"}, Birthdate: &bd, IndexedAttribute1: str("K1"),
		CustomAttributes: []ciam.MemberMap{{Name: "dept", Value: "Sales"}}}
	return u, c
}

func TestCompare(t *testing.T) {
	u, same := sameUsers()
	if d := Compare(u, same); len(d) != 0 {
		t.Errorf("identical user: %+v", d)
	}
	other := int64(0)
	diff := *same
	diff.PhoneNumber, diff.Birthdate, diff.UserGroups = str("+8613800138000"), &other, []string{"g1"}
	diff.CustomAttributes = nil
	got := map[string]bool{}
	for _, d := range Compare(u, &diff) {
		got[d.Field] = true
	}
	for _, f := range []string{"PhoneNumber", "Birthdate", "UserGroup", "CustomizationAttributes[dept]"} {
		if !got[f] {
			t.Errorf("difference in %s not found (found %v)", f, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("found %v, want exactly the 4 changed fields", got)
	}
}

// TestDigestAgreesWithCompare: equal digests exactly when Compare finds
// nothing, except where CIAM holds attributes the row does not map (then
// the digest differs and the field-by-field comparison decides).
func TestDigestAgreesWithCompare(t *testing.T) {
	u, base := sameUsers()
	tests := []struct {
		name       string
		change     func(c *ciam.User)
		wantSame   bool // Compare finds nothing
		wantDigest bool // digests equal
	}{
		{"identical", func(*ciam.User) {}, true, true},
		{"email case", func(c *ciam.User) { c.Email = str("ANN@example.com") }, true, true},
		{"group order", func(c *ciam.User) { c.UserGroups = []string{"g2", "g1"} }, true, true},
		{"attribute order", func(c *ciam.User) {
			c.CustomAttributes = []ciam.MemberMap{{Name: "empty", Value: ""}, {Name: "dept", Value: "Sales"}}
		}, true, true},
		{"unmapped attribute", func(c *ciam.User) {
			c.CustomAttributes = append(c.CustomAttributes, ciam.MemberMap{Name: "vip", Value: "1"})
		}, true, false},
		{"nickname", func(c *ciam.User) { c.Nickname = str("Anne") }, false, false},
		{"nickname removed", func(c *ciam.User) { c.Nickname = nil }, false, false},
		{"birthdate", func(c *ciam.User) { c.Birthdate = nil }, false, false},
		{"indexed attribute", func(c *ciam.User) { c.IndexedAttribute2 = str("x") }, false, false},
		{"attribute value", func(c *ciam.User) { c.CustomAttributes = []ciam.MemberMap{{Name: "dept", Value: "Ops"}} }, false, false},
		{"field boundary", func(c *ciam.User) { c.UserName, c.Email = str("annann@example.com"), str("") }, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *base
			tt.change(&c)
			if got := len(Compare(u, &c)) == 0; got != tt.wantSame {
				t.Errorf("Compare same = %v, want %v (%+v)", got, tt.wantSame, Compare(u, &c))
			}
			if got := digest(canonRow(u)) == digest(canonCIAM(&c)); got != tt.wantDigest {
				t.Errorf("digests equal = %v, want %v", got, tt.wantDigest)
			}
		})
	}
}
