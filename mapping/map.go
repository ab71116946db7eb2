package mapping

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Map converts one row into validated CreateUser parameters (or, when the
// row goes through the import job, CreateApiImportUserJob parameters; see
// [User.ViaImportJob]). A row that cannot be sent yields a *FieldError
// naming the first failing parameter, checked in the order Key, UserName,
// Email, PhoneNumber, PasswordHash, Password, Nickname, Address, UserGroup,
// UserOrg, Birthdate, IndexedAttribute1-5, the ImportUser-only fields,
// CustomizationAttributes, then the rules of the row's path
// ([Spec.checkRoute]; when some rows may take either path, an empty
// UserName, Email or PhoneNumber is reported there). With
// generate: true each call without a hash makes a fresh password; any other
// error comes from a failing random source and is not a row problem. Map is
// safe for concurrent use.
func (s *Spec) Map(row Row) (*User, error) {
	u := &User{}
	var fe *FieldError
	if u.Key, fe = s.mapKey(row); fe != nil {
		return nil, fe
	}
	for i := range s.fields {
		f := &s.fields[i]
		if f.t.password {
			fe = s.mapPassword(row, u, f.r)
		} else {
			fe = f.apply(row, u)
		}
		if fe != nil {
			return nil, fe
		}
	}
	if fe = s.mapAttributes(row, u); fe != nil {
		return nil, fe
	}
	if s.generate && !u.HasPasswordHash() {
		pw, err := s.passwords.generate()
		if err != nil {
			return nil, err
		}
		u.Password = pw
	}
	if !u.HasPasswordHash() {
		u.PlaintextEnum = s.plaintextEnum
	}
	if fe = s.checkRoute(u); fe != nil {
		return nil, fe
	}
	return u, nil
}

// mapKey reads and trims the key field.
func (s *Spec) mapKey(row Row) (string, *FieldError) {
	v, _ := s.key.lookup(row)
	str, reason := stringify(v)
	str = strings.TrimSpace(str)
	switch {
	case reason != "":
		return "", &FieldError{Field: "key", Source: s.key.full, Reason: reason, Err: ErrInvalid}
	case str == "":
		return "", &FieldError{Field: "key", Source: s.key.full, Reason: "is empty", Err: ErrEmpty}
	case !utf8.ValidString(str):
		return "", &FieldError{Field: "key", Source: s.key.full, Reason: "is not valid UTF-8", Err: ErrInvalid}
	}
	if reason := controlProblem(str, false); reason != "" {
		return "", &FieldError{Field: "key", Source: s.key.full, Reason: reason, Err: ErrInvalid}
	}
	return str, nil
}

// mapPassword maps PasswordHash and Password: a non-empty hash wins, else
// the plaintext (r; nil for generate: true, filled in by Map at the end, or
// when only PasswordHash is mapped). A row with neither fails on Password.
func (s *Spec) mapPassword(row Row, u *User, r *rule) *FieldError {
	if s.pwHash != nil {
		h, fe := s.pwHash.apply(row)
		if fe != nil || !h.Hash.IsZero() {
			u.PasswordHash = h
			return fe
		}
	}
	if r != nil {
		v, fe := r.text(row)
		if fe != nil || v != "" {
			u.Password = NewSecret(v)
			return fe
		}
	}
	if s.generate || s.pwHash == nil {
		return nil
	}
	source := s.pwHash.hash.src.name()
	if r != nil {
		source = r.src.name() + ", " + source
	}
	return &FieldError{Field: "Password", Source: source, Reason: "is empty, and so is PasswordHash", Err: ErrEmpty}
}

// apply maps one parameter into u.
func (f *fieldRule) apply(row Row, u *User) *FieldError {
	switch f.t.kind {
	case kindList:
		l, fe := f.r.list(row)
		if fe == nil && len(l) > 0 {
			f.t.setList(u, l)
		}
		return fe
	case kindDate:
		ms, fe := f.r.millis(row)
		u.Birthdate = ms
		if ms != nil {
			u.BirthDay = formatDateOnly(time.UnixMilli(*ms).In(f.r.date.zone()))
		}
		return fe
	}
	v, fe := f.r.text(row)
	if fe == nil && v != "" {
		f.t.setText(u, v)
	}
	return fe
}

// mapAttributes maps CustomizationAttributes; empty values are not sent.
func (s *Spec) mapAttributes(row Row, u *User) *FieldError {
	for i := range s.attrs {
		a := &s.attrs[i]
		v, fe := a.r.text(row)
		if fe != nil {
			return fe
		}
		if v == "" {
			continue
		}
		if u.CustomizationAttributes == nil {
			u.CustomizationAttributes = make([]Attribute, 0, len(s.attrs))
		}
		u.CustomizationAttributes = append(u.CustomizationAttributes, Attribute{Name: a.name, Value: v, Type: a.typ})
	}
	return nil
}
