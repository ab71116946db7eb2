package mapping

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped by [FieldError] so callers can classify bad rows with
// errors.Is.
var (
	// ErrEmpty means a value that must be present is empty.
	ErrEmpty = errors.New("required value is empty")
	// ErrInvalid means a value is present but malformed.
	ErrInvalid = errors.New("invalid value")
	// ErrTooLong means a value exceeds its length limit.
	ErrTooLong = errors.New("value too long")
	// ErrNotInTable means a lookup table has no entry for a value and the
	// rule says missing: reject.
	ErrNotInTable = errors.New("value not in lookup table")
	// ErrUnknownGroup means a group named in a by: name list does not exist
	// in CIAM (and the rule says missing: reject).
	ErrUnknownGroup = errors.New("no such user group")
)

// SpecError describes one problem in a mapping file. Line and Column are
// 1-based positions in the file (0 when unknown); Field is the dotted path of
// the offending key, such as "fields.Birthdate.date.layout".
type SpecError struct {
	File   string
	Line   int
	Column int
	Field  string
	Msg    string
}

// Error formats the error as "file:line:column: field: message".
func (e *SpecError) Error() string {
	pos := e.File
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, e.Line)
		if e.Column > 0 {
			pos = fmt.Sprintf("%s:%d", pos, e.Column)
		}
	}
	if e.Field == "" {
		return pos + ": " + e.Msg
	}
	return pos + ": " + e.Field + ": " + e.Msg
}

// FieldError explains why one row cannot be mapped. Field is the CIAM
// parameter ("Email", "CustomizationAttributes[vip]", or "key" for the row
// key), Source names where the value came from (a source field path,
// "template" or "const"), and Reason says what is wrong without quoting the
// value. Err is one of the sentinel errors ([ErrEmpty], [ErrInvalid],
// [ErrTooLong], [ErrNotInTable]).
type FieldError struct {
	Field  string
	Source string
	Reason string
	Err    error
}

// Error formats the error as "Field (source Source): Reason".
func (e *FieldError) Error() string {
	if e.Source == "" {
		return e.Field + ": " + e.Reason
	}
	return e.Field + " (source " + e.Source + "): " + e.Reason
}

// Unwrap returns the sentinel error classifying the failure.
func (e *FieldError) Unwrap() error { return e.Err }
