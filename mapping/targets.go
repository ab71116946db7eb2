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
	required bool                  // CreateUser rejects the call without it
	maxLen   int                   // default and ceiling for max_length; 0 = none
	check    func(string) string   // shape check returning a reason, or nil
	phone    bool                  // phone normalisation always applies
	password bool                  // generate: true and update are allowed; a secret
	freeText bool                  // tab, line feed and carriage return are allowed
	secret   bool                  // a secret besides Password (hash, salt)
	setText  func(*User, string)   // kindText
	setList  func(*User, []string) // kindList
}

// attributesKey is the fields key holding custom attributes.
const attributesKey = "CustomizationAttributes"

// targets lists the parameters in the order Map evaluates them.
var targets = []target{
	{name: "UserName", required: true, maxLen: userNameMax, check: checkUserName,
		setText: func(u *User, s string) { u.UserName = s }},
	{name: "Email", required: true, maxLen: emailMax, check: checkEmail,
		setText: func(u *User, s string) { u.Email = s }},
	{name: "PhoneNumber", required: true, phone: true,
		setText: func(u *User, s string) { u.PhoneNumber = s }},
	{name: "Password", required: true, password: true,
		setText: func(u *User, s string) { u.Password = NewSecret(s) }},
	{name: "Nickname", freeText: true, setText: func(u *User, s string) { u.Nickname = s }},
	{name: "Address", freeText: true, setText: func(u *User, s string) { u.Address = s }},
	{name: "UserGroup", kind: kindList, setList: func(u *User, l []string) { u.UserGroup = l }},
	{name: "UserOrg", kind: kindList, setList: func(u *User, l []string) { u.UserOrg = l }},
	{name: "Birthdate", kind: kindDate},
	indexed(1), indexed(2), indexed(3), indexed(4), indexed(5),
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
