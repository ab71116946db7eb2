package importer

import (
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

func TestCompareUser(t *testing.T) {
	str := func(s string) *string { return &s }
	bd := int64(86400000)
	u := &mapping.User{Key: "K1", UserName: "ann", Email: "Ann@example.com", PhoneNumber: "+86-13800138000",
		Nickname: "Ann", UserGroup: []string{"g2", "g1"}, Birthdate: &bd,
		IndexedAttributes:       [5]string{"K1"},
		CustomizationAttributes: []mapping.Attribute{{Name: "dept", Value: "Sales"}}}
	same := &ciam.User{UserName: str("ann"), Email: str("ann@example.com"), PhoneNumber: str("+86-13800138000"),
		Nickname: str("Ann"), UserGroups: []string{"g1", "g2"}, Birthdate: &bd, IndexedAttribute1: str("K1"),
		CustomAttributes: []ciam.MemberMap{{Name: "dept", Value: "Sales"}}}
	if d := compareUser(u, same); len(d) != 0 {
		t.Errorf("identical user: %+v", d)
	}
	other := int64(0)
	diff := *same
	diff.PhoneNumber, diff.Birthdate, diff.UserGroups = str("+8613800138000"), &other, []string{"g1"}
	diff.CustomAttributes = nil
	got := map[string]bool{}
	for _, d := range compareUser(u, &diff) {
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
