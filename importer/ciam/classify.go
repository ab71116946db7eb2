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

// ClassifyCode classifies an API error code, returning the identifier for
// conflicts (IdentUnknown otherwise). Codes in the table (codes.go) are exact;
// other codes follow the prefix rules in the package documentation, which
// end in Rejected. The client-side ClientError.* codes depend on facts the
// code alone does not carry (was the request sent?), so ClassifyCode answers
// InDoubt for them; the Client classifies its own failures with those facts.
func ClassifyCode(code string) (Class, Identifier) {
	if r, ok := codeTable[code]; ok {
		return r.class, r.ident
	}
	return classifyUnknown(code), IdentUnknown
}

// classifyUnknown applies the prefix rules to a code not in codeTable.
func classifyUnknown(code string) Class {
	switch {
	case hasSegmentPrefix(code, "AuthFailure", "UnauthorizedOperation"):
		return Fatal
	case strings.HasSuffix(code, "AlreadyExists"):
		return Conflict
	case hasSegmentPrefix(code, "RequestLimitExceeded", "InternalError", "ResourceUnavailable", "ServiceUnavailable"):
		return Retryable
	case hasSegmentPrefix(code, "LimitExceeded", "OperationDenied", "ResourceInsufficient", "ResourcesSoldOut",
		"UnsupportedOperation", "UnsupportedRegion", "UnsupportedProtocol", "InvalidAction",
		"NoSuchVersion", "NoSuchProduct", "ActionOffline", "InvalidRegion"):
		return Fatal
	case hasSegmentPrefix(code, "ClientError"):
		return InDoubt
	}
	return Rejected
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
