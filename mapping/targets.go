package mapping

// kind is the shape of a CreateUser parameter's value.
type kind uint8

const (
	kindText kind = iota // one string
	kindList             // a list of strings (UserGroup, UserOrg)
	kindDate             // milliseconds since the epoch (Birthdate)
)

// Length limits applied by default.
const (
	indexedAttributeMax = 512 // CIAM: FailedOperation.IndexedAttributeTooLong
	userNameMax         = 128
	emailMax            = 254 // RFC 5321 path limit
)

// target describes one mappable CreateUser parameter.
type target struct {
	name     string
	kind     kind
	required bool                // CreateUser rejects the call without it
	maxLen   int                 // default and ceiling for max_length; 0 = none
	check    func(string) string // shape check returning a reason, or nil
	phone    bool                // phone normalisation always applies
	password bool                // generate: true and update are allowed; a secret
	freeText bool                // tab, line feed and carriage return are allowed
	secret   bool                // a secret besides Password (hash, salt)
	// importOnly: an ImportUser field CreateUser does not have; refused on
	// rows that go through CreateUser.
	importOnly bool
	identifier bool                  // one of the nine identifiers of ImportUser
	setText    func(*User, string)   // kindText
	setList    func(*User, []string) // kindList
}

// attributesKey is the fields key holding custom attributes.
const attributesKey = "CustomizationAttributes"

// targets lists the parameters in the order Map evaluates them.
var targets = []target{
	{name: "UserName", required: true, identifier: true, maxLen: userNameMax, check: checkUserName,
		setText: func(u *User, s string) { u.UserName = s }},
	{name: "Email", required: true, identifier: true, maxLen: emailMax, check: checkEmail,
		setText: func(u *User, s string) { u.Email = s }},
	{name: "PhoneNumber", required: true, identifier: true, phone: true,
		setText: func(u *User, s string) { u.PhoneNumber = s }},
	{name: "Password", required: true, password: true,
		setText: func(u *User, s string) { u.Password = NewSecret(s) }},
	{name: "Nickname", freeText: true, setText: func(u *User, s string) { u.Nickname = s }},
	{name: "Address", freeText: true, setText: func(u *User, s string) { u.Address = s }},
	{name: "UserGroup", kind: kindList, setList: func(u *User, l []string) { u.UserGroup = l }},
	{name: "UserOrg", kind: kindList, setList: func(u *User, l []string) { u.UserOrg = l }},
	{name: "Birthdate", kind: kindDate},
	indexed(1), indexed(2), indexed(3), indexed(4), indexed(5),
	social("WechatOpenId", func(u *User, s string) { u.WechatOpenId = s }),
	social("WechatUnionId", func(u *User, s string) { u.WechatUnionId = s }),
	social("AlipayUserId", func(u *User, s string) { u.AlipayUserId = s }),
	social("QqOpenId", func(u *User, s string) { u.QqOpenId = s }),
	social("QqUnionId", func(u *User, s string) { u.QqUnionId = s }),
	social("WeComUserId", func(u *User, s string) { u.WeComUserId = s }),
	importText("Gender", func(u *User, s string) { u.Gender = s }),
	importText("Name", func(u *User, s string) { u.Name = s }),
	importText("Description", func(u *User, s string) { u.Description = s }),
	importText("Locale", func(u *User, s string) { u.Locale = s }),
	importText("Job", func(u *User, s string) { u.Job = s }),
	importText("Nationality", func(u *User, s string) { u.Nationality = s }),
	importText("Zone", func(u *User, s string) { u.Zone = s }),
	importText("ResidentIdentityCard", func(u *User, s string) { u.ResidentIdentityCard = s }),
	importText("IdentityVerificationMethod", func(u *User, s string) { u.IdentityVerificationMethod = s }),
	{name: "IdentityVerified", importOnly: true, check: checkBoolean,
		setText: func(u *User, s string) { b := s == "true"; u.IdentityVerified = &b }},
}

// importTextMax bounds the ImportUser-only text fields; the reference gives
// no limit, this one only keeps a runaway value out of a batch.
const importTextMax = 512

// social describes one of the six social identifiers of ImportUser.
func social(name string, set func(*User, string)) target {
	t := importText(name, set)
	t.identifier, t.freeText = true, false
	t.check = checkUserName // an identifier has no spaces or control characters
	return t
}

// importText describes an ImportUser-only text field.
func importText(name string, set func(*User, string)) target {
	return target{name: name, importOnly: true, freeText: true, maxLen: importTextMax, setText: set}
}

// indexed describes IndexedAttributeN.
func indexed(n int) target {
	return target{
		name:    "IndexedAttribute" + string(rune('0'+n)),
		maxLen:  indexedAttributeMax,
		setText: func(u *User, s string) { u.IndexedAttributes[n-1] = s },
	}
}

// targetNames returns every key allowed under fields.
func targetNames() []string {
	names := make([]string, 0, len(targets)+1)
	for _, t := range targets {
		names = append(names, t.name)
	}
	return append(names, passwordHashKey, attributesKey)
}

// findTarget returns the target called name.
func findTarget(name string) (*target, bool) {
	for i := range targets {
		if targets[i].name == name {
			return &targets[i], true
		}
	}
	return nil, false
}
