package mapping

import "strings"

// Has reports whether u holds a value for the parameter name (a field of
// CreateUser, UpdateUser or ImportUser, e.g. "Email", "UserGroup",
// "IndexedAttribute3", "WechatOpenId"): the one answer the routing checks
// and UpdateUser's plan share. An unknown name holds nothing.
func (u *User) Has(name string) bool {
	switch name {
	case "UserGroup":
		return len(u.UserGroup) > 0
	case "UserOrg":
		return len(u.UserOrg) > 0
	case "Birthdate":
		return u.Birthdate != nil
	case "IdentityVerified":
		return u.IdentityVerified != nil
	}
	if n, ok := strings.CutPrefix(name, "IndexedAttribute"); ok && len(n) == 1 && n[0] >= '1' && n[0] <= '5' {
		return u.IndexedAttributes[n[0]-'1'] != ""
	}
	for _, id := range u.Identifiers() {
		if id[0] == name {
			return id[1] != ""
		}
	}
	text := map[string]string{"Nickname": u.Nickname, "Address": u.Address, "Name": u.Name,
		"ResidentIdentityCard": u.ResidentIdentityCard, "IdentityVerificationMethod": u.IdentityVerificationMethod,
		"Gender": u.Gender, "Description": u.Description, "Locale": u.Locale, "Job": u.Job, "Nationality": u.Nationality, "Zone": u.Zone}
	return text[name] != ""
}
