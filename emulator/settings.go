package emulator

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// UpdateUser readings (StoreSettings.UpdateMode). The reference does not say
// whether a field UpdateUser leaves out is kept or cleared.
const (
	UpdateMerge   = "merge"   // an absent field is kept (the lenient reading)
	UpdateReplace = "replace" // an absent field is cleared (the strict reading)
)

// DefaultPlaintextEnum is the PasswordEncryptTypeEnum value the emulator
// takes for a plaintext password when no other is configured. The reference
// says plaintext import exists but not its enum value: "PLAINTEXT" is the
// emulator's guess, nothing more. The importer must take the value from
// the operator.
const DefaultPlaintextEnum = "PLAINTEXT"

// CodeUndefinedAttribute answers a custom attribute the store does not
// define (StoreSettings.CustomAttributes). The reference gives no code for
// it: FailedOperation.UserPropertyNotFound ("用户属性不存在", errors.go) is
// the emulator's guess.
const CodeUndefinedAttribute = "FailedOperation.UserPropertyNotFound"

// StoreSettings are the settings an administrator gives a real user store
// (console: custom attributes, password policy) and the emulator's answers
// where the reference is silent. The zero value is the lenient emulator of
// before (every check off, merge updates, "<Code>: <message>" reasons);
// StrictSettings models a real store's documented defaults and the readings
// least safe for a client. Patterns (Config.Patterns) complete them.
type StoreSettings struct {
	// CustomAttributes lists the custom attribute names the store defines;
	// a user carrying another one is refused with CodeUndefinedAttribute.
	// nil accepts any name; a non-nil empty list accepts none.
	CustomAttributes []string
	// PasswordPolicy refuses weak plaintext passwords (CreateUser,
	// SetPassword, plaintext ImportUser); the zero value accepts any.
	PasswordPolicy PasswordPolicy
	// UpdateMode is UpdateMerge ("" too) or UpdateReplace.
	UpdateMode string
	// FreeTextReasons writes Job.FailedUsers reasons as the Chinese message
	// alone (no "<Code>: " prefix), as a real service may.
	FreeTextReasons bool
	// DateOnlyBirthdate accepts ImportUser.Birthdate only as yyyy-MM-dd
	// (the type the spec names); false also accepts epoch milliseconds.
	DateOnlyBirthdate bool
	// ExactHexCase keeps MD5/SHA1 hex digests as sent and compares them
	// case-sensitively with the lower-case digest at sign-in, so an
	// upper-case digest imports but never signs in; false lower-cases them.
	ExactHexCase bool
	// PlaintextEnum is the PasswordEncryptTypeEnum value read as plaintext
	// ("" none). RequireEncryptType refuses a Password without an enum;
	// false reads an absent enum as plaintext.
	PlaintextEnum      string
	RequireEncryptType bool
	// CreatedStatus is the Status of a created or imported user; "" is
	// NOT_ENABLED (the newest official example), else NORMAL.
	CreatedStatus string
}

// PasswordPolicy is a password strength rule. The console offers five
// policies, "strong" by default (intl doc 1148/52264), without saying what
// they require; StrongPasswordPolicy is the emulator's guess at "strong".
type PasswordPolicy struct {
	MinLength                                               int
	RequireUpper, RequireLower, RequireDigit, RequireSymbol bool
}

// StrongPasswordPolicy: at least 8 characters with an upper-case letter, a
// lower-case letter, a digit and a symbol.
func StrongPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinLength: 8, RequireUpper: true, RequireLower: true, RequireDigit: true, RequireSymbol: true}
}

// StrictSettings returns the settings of a real store as the reference
// describes its defaults, with the unsafe reading wherever it is silent: no
// custom attribute defined, a strong password policy, replacing updates,
// free-text reasons, date-only birthdates, case-sensitive hex digests,
// plaintext import only under DefaultPlaintextEnum, users NOT_ENABLED.
func StrictSettings() StoreSettings {
	return StoreSettings{
		CustomAttributes: []string{}, PasswordPolicy: StrongPasswordPolicy(), UpdateMode: UpdateReplace,
		FreeTextReasons: true, DateOnlyBirthdate: true, ExactHexCase: true,
		PlaintextEnum: DefaultPlaintextEnum, RequireEncryptType: true, CreatedStatus: statusNotEnabled,
	}
}

func (st StoreSettings) validate() error {
	switch st.UpdateMode {
	case "", UpdateMerge, UpdateReplace:
	default:
		return fmt.Errorf("update mode %q is not merge or replace", st.UpdateMode)
	}
	switch st.CreatedStatus {
	case "", statusNotEnabled, statusNormal:
	default:
		return fmt.Errorf("created status %q is not NOT_ENABLED or NORMAL", st.CreatedStatus)
	}
	if slices.Contains([]string{algMD5, algSHA1, algBcrypt}, st.PlaintextEnum) {
		return fmt.Errorf("plaintext enum %q names a hash", st.PlaintextEnum)
	}
	if st.PasswordPolicy.MinLength < 0 {
		return errors.New("negative password minimum length")
	}
	return nil
}

// createdStatus is the Status of a new user.
func (st StoreSettings) createdStatus() string {
	if st.CreatedStatus == "" {
		return statusNotEnabled
	}
	return st.CreatedStatus
}

// checkDefined refuses a custom attribute the store does not define.
func (st StoreSettings) checkDefined(attrs []MemberMap) *apiError {
	if st.CustomAttributes == nil {
		return nil
	}
	for _, a := range attrs {
		if !slices.Contains(st.CustomAttributes, a.Name) {
			return errorf(CodeUndefinedAttribute, "The user attribute `%s` does not exist in the user store.",
				"用户属性不存在：`%s`。", a.Name)
		}
	}
	return nil
}

// check refuses a password the policy finds weak. The message names the
// rule, never the password. The reference gives no code: the emulator's
// guess is InvalidParameterValue.
func (p PasswordPolicy) check(password string) *apiError {
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case !unicode.IsSpace(r):
			symbol = true
		}
	}
	var missing []string
	for _, m := range []struct {
		need, have bool
		what       string
	}{
		{p.RequireUpper, upper, "an upper-case letter"}, {p.RequireLower, lower, "a lower-case letter"},
		{p.RequireDigit, digit, "a digit"}, {p.RequireSymbol, symbol, "a symbol"},
	} {
		if m.need && !m.have {
			missing = append(missing, m.what)
		}
	}
	if len([]rune(password)) < p.MinLength {
		missing = append(missing, fmt.Sprintf("at least %d characters", p.MinLength))
	}
	if len(missing) == 0 {
		return nil
	}
	return errorf(CodeInvalidParameterValue, "The password does not meet the user store's password policy: it needs %s.",
		"密码不符合用户目录的密码策略：需要%s。", strings.Join(missing, ", "))
}

// reason is a Job.FailedUsers FailedReason for aerr: "<code>: <message>",
// or the Chinese message alone under FreeTextReasons.
func (st StoreSettings) reason(aerr *apiError) string {
	if st.FreeTextReasons {
		return aerr.zh
	}
	return aerr.code + ": " + aerr.en
}

// clearAbsent empties, under UpdateReplace, every field UpdateUser can set
// that the request left out: a replacing service keeps only what was sent.
func (st StoreSettings) clearAbsent(u *User, p params) {
	if st.UpdateMode != UpdateReplace {
		return
	}
	for key, dst := range map[string]**string{
		"UserName": &u.UserName, "PhoneNumber": &u.PhoneNumber, "Email": &u.Email,
		"Nickname": &u.Nickname, "Address": &u.Address,
		"IndexedAttribute1": &u.IndexedAttribute1, "IndexedAttribute2": &u.IndexedAttribute2,
		"IndexedAttribute3": &u.IndexedAttribute3, "IndexedAttribute4": &u.IndexedAttribute4,
		"IndexedAttribute5": &u.IndexedAttribute5,
	} {
		if !p.has(key) {
			*dst = nil
		}
	}
	if !p.has("UserGroup") {
		u.UserGroups = []string{}
	}
	if !p.has("UserOrg") {
		u.UserOrgs = []string{}
	}
	if !p.has("CustomizationAttributes") {
		u.CustomAttributes = []MemberMap{}
	}
	if !p.has("Birthdate") {
		u.Birthdate = nil
	}
}
