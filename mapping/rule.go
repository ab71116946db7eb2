package mapping

import (
	"fmt"
	"unicode/utf8"
)

// rule is a compiled field rule: how one parameter gets its value.
type rule struct {
	field    string // CIAM parameter, for FieldError
	src      source
	steps    []step
	split    string
	lookup   *lookup
	phone    *phoneRule
	date     *dateRule
	required bool
	maxLen   int
	check    func(string) string
	secret   bool    // Password, PasswordHash, salt: errors say even less
	freeText bool    // tab, line feed and carriage return are allowed
	update   bool    // Password: update: true
	byName   *byName // UserGroup: by: name
}

// fail builds a FieldError for this rule.
func (r *rule) fail(err error, reason string) *FieldError {
	return &FieldError{Field: r.field, Source: r.src.name(), Reason: reason, Err: err}
}

// text produces a single string value; "" means not sent.
func (r *rule) text(row Row) (string, *FieldError) {
	v, reason := r.src.get(row)
	if reason != "" {
		return "", r.fail(ErrInvalid, reason)
	}
	s, reason := stringify(v)
	if reason != "" {
		return "", r.fail(ErrInvalid, reason)
	}
	s, fe := r.prepare(s)
	if fe != nil || s == "" {
		return "", fe
	}
	return r.finish(s)
}

// prepare runs transforms and lookup, then the required and UTF-8 checks.
func (r *rule) prepare(s string) (string, *FieldError) {
	for i, st := range r.steps {
		var fe *FieldError
		if s, fe = r.applyStep(i, st, s); fe != nil {
			return "", fe
		}
	}
	if r.lookup != nil && s != "" {
		var ok bool
		if s, ok = r.lookup.get(s); !ok {
			return "", r.fail(ErrNotInTable, "value is not in the lookup table")
		}
	}
	switch {
	case s == "" && r.required:
		return "", r.fail(ErrEmpty, "is empty")
	case !utf8.ValidString(s):
		return "", r.fail(ErrInvalid, "is not valid UTF-8")
	}
	return s, nil
}

// finish normalises phone numbers and applies length and shape checks.
func (r *rule) finish(s string) (string, *FieldError) {
	if r.phone != nil {
		var reason string
		if s, reason = r.phone.normalize(s); reason != "" {
			return "", r.fail(ErrInvalid, reason)
		}
	}
	if reason := controlProblem(s, r.freeText); reason != "" {
		return "", r.fail(ErrInvalid, reason)
	}
	if r.maxLen > 0 && len(s) > r.maxLen && utf8.RuneCountInString(s) > r.maxLen {
		return "", r.fail(ErrTooLong, fmt.Sprintf("is longer than %d characters", r.maxLen))
	}
	if r.check != nil {
		if reason := r.check(s); reason != "" {
			return "", r.fail(ErrInvalid, reason)
		}
	}
	return s, nil
}

// millis produces a Birthdate; nil means not sent.
func (r *rule) millis(row Row) (*int64, *FieldError) {
	v, reason := r.src.get(row)
	if reason != "" {
		return nil, r.fail(ErrInvalid, reason)
	}
	ms, reason, done := r.date.millis(v)
	if !done {
		var s string
		if s, reason = stringify(v); reason == "" {
			var fe *FieldError
			if s, fe = r.prepare(s); fe != nil || s == "" {
				return nil, fe
			}
			ms, reason = r.date.parse(s)
		}
	}
	if reason != "" {
		return nil, r.fail(ErrInvalid, reason)
	}
	return &ms, nil
}
