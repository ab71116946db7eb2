package ciam

import (
	"errors"
	"fmt"
	"strings"
)

// Class says what the caller may do about a failed call. See the package
// documentation for which failures land in which class.
type Class int

// The classes. NoError is the zero value, returned by ClassOf(nil); no *Error
// of this package carries it.
const (
	NoError   Class = iota
	Retryable       // nothing lasting happened: send again after a back-off
	InDoubt         // may have reached the service: reconcile by lookup, never resend blindly
	Conflict        // a unique identifier is taken; Error.Identifier says which
	Rejected        // this row's data is bad: report the row, go on
	Fatal           // no row can fix it: stop the job
)

var classNames = [...]string{
	NoError:   "none",
	Retryable: "retryable",
	InDoubt:   "in-doubt",
	Conflict:  "conflict",
	Rejected:  "rejected",
	Fatal:     "fatal",
}

// String returns the class name used in reports: "retryable", "in-doubt",
// "conflict", "rejected", "fatal" (and "none" for NoError).
func (c Class) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return fmt.Sprintf("Class(%d)", int(c))
	}
	return classNames[c]
}

// MarshalText encodes the class as its String form; it fails for values
// outside the defined classes.
func (c Class) MarshalText() ([]byte, error) {
	if c < 0 || int(c) >= len(classNames) {
		return nil, fmt.Errorf("marshal class: invalid value %d", int(c))
	}
	return []byte(classNames[c]), nil
}

// UnmarshalText parses a String form produced by MarshalText.
func (c *Class) UnmarshalText(text []byte) error {
	for i, name := range classNames {
		if string(text) == name {
			*c = Class(i)
			return nil
		}
	}
	return fmt.Errorf("unmarshal class: unknown class %q", text)
}

// Identifier names the unique user attribute a Conflict is about.
type Identifier string

// Identifiers a conflict can name. IdentUnknown is used for conflicts whose
// code does not say which attribute collided.
const (
	IdentUnknown  Identifier = ""
	IdentEmail    Identifier = "email"
	IdentPhone    Identifier = "phone_number"
	IdentUserName Identifier = "user_name"
)

// ClassifyCode classifies an API error code as for an idempotent or
// read-only call, returning the identifier for conflicts (IdentUnknown
// otherwise). Codes in the table (codes.go) are exact; other codes follow
// the prefix rules in the package documentation, which end in Rejected. The
// client-side ClientError.* codes depend on facts the code alone does not
// carry (was the request sent?), so ClassifyCode answers InDoubt for them.
// Use ClassifyAction for a given action: it answers InDoubt instead of
// Retryable for a call that is not idempotent when the code does not prove
// that the call did nothing.
func ClassifyCode(code string) (Class, Identifier) {
	r := lookupCode(code)
	return r.class, r.ident
}

// ClassifyAction classifies an API error code answered to action, as the
// Client does. For CreateUser, CreateApiImportUserJob and unknown actions,
// codes that do not prove the call did nothing (InternalError*,
// ResourceUnavailable*, ServiceUnavailable*, ResourceInUse,
// ResponseSizeLimitExceeded) are InDoubt; for the idempotent actions they
// keep the class ClassifyCode gives.
func ClassifyAction(action, code string) (Class, Identifier) {
	r := classifyAPI(action, code)
	return r.class, r.ident
}

// classifyAPI is the rule of code for action, with its class final.
func classifyAPI(action, code string) rule {
	r := lookupCode(code)
	if r.uncertain && !Idempotent(action) {
		r.class = InDoubt
	}
	return r
}

// lookupCode returns the table rule of code, or the prefix rule.
func lookupCode(code string) rule {
	if r, ok := codeTable[code]; ok {
		return r
	}
	return classifyUnknown(code)
}

// Idempotent reports whether sending action twice has the effect of sending
// it once: the read-only actions (ListUserByProperty, DescribeUser,
// DescribeUserById, ListUser, ListJobs, ListUserGroups) and the absolute
// writes UpdateUser and SetPassword. CreateUser, CreateApiImportUserJob,
// CreateFileExportUserJob, CreateUserGroup, DeleteUsers (its answer to an
// unknown id is undocumented) and every action this package does not know
// are not.
func Idempotent(action string) bool {
	switch action {
	case ActionListUserByProperty, ActionDescribeUser, ActionDescribeUserByID, ActionListUser, ActionListJobs,
		ActionListUserGroups, ActionUpdateUser, ActionSetPassword:
		return true
	}
	return false
}

// classifyUnknown applies the prefix rules to a code not in codeTable.
func classifyUnknown(code string) rule {
	switch {
	case hasSegmentPrefix(code, "AuthFailure", "UnauthorizedOperation"):
		return rule{class: Fatal}
	case strings.HasSuffix(code, "AlreadyExists"):
		return rule{class: Conflict}
	case hasSegmentPrefix(code, "RequestLimitExceeded"):
		return rule{class: Retryable}
	case hasSegmentPrefix(code, "InternalError", "ResourceUnavailable", "ServiceUnavailable"):
		return rule{class: Retryable, uncertain: true}
	case hasSegmentPrefix(code, "LimitExceeded", "OperationDenied", "ResourceInsufficient", "ResourcesSoldOut",
		"UnsupportedOperation", "UnsupportedRegion", "UnsupportedProtocol", "InvalidAction",
		"NoSuchVersion", "NoSuchProduct", "ActionOffline", "InvalidRegion"):
		return rule{class: Fatal}
	case hasSegmentPrefix(code, "ClientError"):
		return rule{class: InDoubt}
	}
	return rule{class: Rejected}
}

// hasSegmentPrefix reports whether code is one of prefixes or starts with one
// of them followed by a dot.
func hasSegmentPrefix(code string, prefixes ...string) bool {
	for _, p := range prefixes {
		if code == p || strings.HasPrefix(code, p+".") {
			return true
		}
	}
	return false
}

// ClassOf returns the Class of the *Error in err's chain. It returns NoError
// for a nil err, and Fatal for an error that is not (and does not wrap) a
// *Error: every Client method returns *Error, so anything else is a failure
// this package did not classify, and stopping is the only safe guess.
func ClassOf(err error) Class {
	if err == nil {
		return NoError
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Fatal
}

// FieldOf names the request field a rejection code points at (e.g.
// FailedOperation.EmailIsNull -> "Email"), or "" when the code names none.
// The Client sets it as Error.Field; callers that classify a code they got
// another way (an import job's FailedReason) use it directly.
func FieldOf(code string) string { return lookupCode(code).field }

// settingCodes are the rejections that name a setting of the user store
// (a group, an org, the store, the tenant, a custom attribute) or a quota:
// the same for every row, whatever its data.
var settingCodes = map[string]bool{
	"FailedOperation.UserGroupNotFound": true, "FailedOperation.OrgNotFound": true,
	"FailedOperation.InvalidUserStore": true, "FailedOperation.InvalidTenant": true,
	"FailedOperation.QuotaLimitExceeded": true, "FailedOperation.UserPropertyNotFound": true,
}

// SettingCode tells whether code names a setting of the store or a
// constant of the mapping rather than something of one row: the streak
// guard stops a run after a few of them in a row.
func SettingCode(code string) bool { return settingCodes[code] }
