package canary

import (
	"strconv"
	"strings"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/verify"
	"github.com/ciam-import/ciam-import/mapping"
)

// StatusNormal is the Status of a user who may sign in. The newest official
// CreateUser example answers NOT_ENABLED instead; what that means for
// sign-in the reference does not say.
const StatusNormal = "NORMAL"

// statusNotSent is a Status difference's Sent: no path sends a status.
const statusNotSent = "(not sent; " + StatusNormal + " expected)"

// importField is one ImportUser-only field: what the row holds and what
// CIAM returned (nil: not returned, then not compared).
type importField struct {
	name string
	sent string
	got  *string
}

// importFields lists the ImportUser-only fields of u beside CIAM's c.
func importFields(u *mapping.User, c *ciam.User) []importField {
	return []importField{
		{"WechatOpenId", u.WechatOpenId, c.WechatOpenId}, {"WechatUnionId", u.WechatUnionId, c.WechatUnionId},
		{"AlipayUserId", u.AlipayUserId, c.AlipayUserId}, {"QqOpenId", u.QqOpenId, c.QqOpenId},
		{"QqUnionId", u.QqUnionId, c.QqUnionId}, {"WeComUserId", u.WeComUserId, c.WeComUserId},
		{"Gender", u.Gender, c.Gender}, {"Name", u.Name, c.Name}, {"Description", u.Description, c.Description},
		{"Locale", u.Locale, c.Locale}, {"Job", u.Job, c.Job}, {"Nationality", u.Nationality, c.Nationality},
		{"Zone", u.Zone, c.Zone}, {"ResidentIdentityCard", u.ResidentIdentityCard, c.ResidentIdentityCard},
		{"IdentityVerificationMethod", u.IdentityVerificationMethod, c.IdentityVerificationMethod},
	}
}

// importOnly compares the ImportUser-only fields the row carries with what
// CIAM returns; a field CIAM does not return (null) is not compared, since
// DescribeUserById may leave it out. A resident identity card number is
// shown masked.
func importOnly(u *mapping.User, c *ciam.User) []verify.Diff {
	var out []verify.Diff
	for _, f := range importFields(u, c) {
		if f.sent == "" || f.got == nil || *f.got == f.sent {
			continue
		}
		d := verify.Diff{Field: f.name, Sent: f.sent, Got: *f.got}
		if f.name == "ResidentIdentityCard" {
			d.Sent, d.Got = mask(d.Sent), mask(d.Got)
		}
		out = append(out, d)
	}
	if u.IdentityVerified != nil && c.IdentityVerified != nil && *u.IdentityVerified != *c.IdentityVerified {
		out = append(out, verify.Diff{Field: "IdentityVerified",
			Sent: strconv.FormatBool(*u.IdentityVerified), Got: strconv.FormatBool(*c.IdentityVerified)})
	}
	return out
}

// status is a Status difference when CIAM returns a status other than
// NORMAL (NOT_ENABLED, a locked or frozen user).
func status(c *ciam.User) (verify.Diff, bool) {
	s := ciam.Value(c.Status)
	if c.Status == nil || s == StatusNormal {
		return verify.Diff{}, false
	}
	return verify.Diff{Field: "Status", Sent: statusNotSent, Got: s}, true
}

// hint says what a difference means for the operator, or "".
func hint(p Path, d verify.Diff) string {
	switch {
	case d.Field == "Status" && d.Got == "NOT_ENABLED":
		return "the user was created NOT_ENABLED: sign-in may be blocked until the user is enabled " +
			"(console, or UpdateUserStatus); check one user's sign-in before the full run"
	case d.Field == "Status":
		return "the user is " + d.Got + ", not " + StatusNormal + ": sign-in may be blocked"
	case d.Field == "Birthdate" && p == PathImportJob:
		return "the import job sends Birthdate as yyyy-MM-dd (the day in the mapping's date timezone); the store read it otherwise"
	case strings.HasPrefix(d.Field, "CustomizationAttributes["):
		return "is the attribute defined in the user store (console: user attributes)?"
	case p == PathUpdate && d.Got == "":
		return "UpdateUser left this field empty: the store may replace rather than merge"
	}
	return ""
}

// mask keeps the last 4 characters of an identity card number.
func mask(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
}
