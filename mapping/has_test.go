package mapping

import "testing"

// Has answers for every kind of parameter, set and unset.
func TestUserHas(t *testing.T) {
	yes, b := true, int64(1)
	set := &User{UserName: "u", Email: "e", Nickname: "n", WechatOpenId: "w", Gender: "MALE", UserGroup: []string{"g"},
		Birthdate: &b, IdentityVerified: &yes}
	set.IndexedAttributes[2] = "x"
	empty := &User{}
	for _, name := range []string{"UserName", "Email", "Nickname", "WechatOpenId", "Gender", "UserGroup", "Birthdate",
		"IdentityVerified", "IndexedAttribute3"} {
		if !set.Has(name) {
			t.Errorf("Has(%q) = false on a user that holds it", name)
		}
		if empty.Has(name) {
			t.Errorf("Has(%q) = true on an empty user", name)
		}
	}
	for _, name := range []string{"IndexedAttribute1", "IndexedAttribute6", "PhoneNumber", "Zone", "Nope"} {
		if set.Has(name) {
			t.Errorf("Has(%q) = true, the user does not hold it", name)
		}
	}
}
