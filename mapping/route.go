package mapping

import "strings"

// checkRoute applies the rules of the path u takes.
//
// Through the import job (the reference's ImportUser rules, ciam-api.md
// §2.8): one of the nine identifiers; a row whose only identifier is
// WeComUserId needs the legacy id in an indexed attribute, since no lookup
// finds a user by WeComUserId and the importer settles every row of a job
// by lookup; IdentityVerified true needs IdentityVerificationMethod,
// nameAndIdCard needs Name and ResidentIdentityCard, nameIdCardAndPhone
// needs Name, PhoneNumber and ResidentIdentityCard.
//
// Through CreateUser: UserName, Email and PhoneNumber, and none of the
// ImportUser-only fields, which CreateUser would not store.
func (s *Spec) checkRoute(u *User) *FieldError {
	if !u.ViaImportJob() {
		return s.checkCreateUser(u)
	}
	if fe := s.checkIdentifiers(u); fe != nil {
		return fe
	}
	return s.checkVerification(u)
}

// checkCreateUser refuses a CreateUser row without one of CreateUser's
// identifiers, or with an ImportUser-only field.
func (s *Spec) checkCreateUser(u *User) *FieldError {
	ids := u.Identifiers()
	for _, id := range ids[:3] {
		if id[1] == "" {
			return s.routeError(id[0], ErrEmpty, "is empty; this row has a plaintext password, so it goes through CreateUser, which needs UserName, Email and PhoneNumber")
		}
	}
	for _, f := range s.fields {
		if f.t.importOnly && u.Has(f.t.name) {
			return s.routeError(f.t.name, ErrInvalid, "CreateUser has no "+f.t.name+", and this row has a plaintext password, so it goes through CreateUser: "+
				"map "+f.t.name+" only on rows with a PasswordHash, or route plaintext rows through the import job (ciam-import --plaintext-via-import-job)")
		}
	}
	return nil
}

// checkIdentifiers requires one of the nine identifiers, and one a lookup
// can find the user by.
func (s *Spec) checkIdentifiers(u *User) *FieldError {
	var set []string
	for _, id := range u.Identifiers() {
		if id[1] != "" {
			set = append(set, id[0])
		}
	}
	switch {
	case len(set) == 0:
		return s.routeError(s.firstIdentifier(), ErrEmpty, "is empty, and so is every other identifier ("+
			list(identifierNames())+"): CreateApiImportUserJob needs one of them")
	case len(set) == 1 && set[0] == "WeComUserId" && s.legacy == 0:
		return s.routeError("WeComUserId", ErrEmpty, "is this row's only identifier, and no CIAM lookup finds a user by WeComUserId, "+
			"so the importer could not confirm what the import job stored: map another identifier, or the legacy id into an IndexedAttribute (from: the key field)")
	}
	return nil
}

// checkVerification applies the reference's identity verification rules.
func (s *Spec) checkVerification(u *User) *FieldError {
	need := func(method string, fields ...string) *FieldError {
		for _, f := range fields {
			if !u.Has(f) {
				return s.routeError(f, ErrEmpty, "is empty; CreateApiImportUserJob requires it with "+method)
			}
		}
		return nil
	}
	if u.IdentityVerified != nil && *u.IdentityVerified {
		if fe := need("IdentityVerified true", "IdentityVerificationMethod"); fe != nil {
			return fe
		}
	}
	switch u.IdentityVerificationMethod {
	case "nameAndIdCard":
		return need("IdentityVerificationMethod nameAndIdCard", "Name", "ResidentIdentityCard")
	case "nameIdCardAndPhone":
		return need("IdentityVerificationMethod nameIdCardAndPhone", "Name", "PhoneNumber", "ResidentIdentityCard")
	}
	return nil
}

// firstIdentifier names the first identifier the mapping maps (UserName
// when none is).
func (s *Spec) firstIdentifier() string {
	for _, f := range s.fields {
		if f.t.identifier {
			return f.t.name
		}
	}
	return "UserName"
}

// routeError is a FieldError about parameter name, with its source when
// the mapping maps it.
func (s *Spec) routeError(name string, err error, reason string) *FieldError {
	fe := &FieldError{Field: name, Reason: reason, Err: err}
	for _, f := range s.fields {
		if f.t.name == name && f.r != nil {
			fe.Source = f.r.src.name()
		}
	}
	if fe.Source == "" {
		fe.Source = "not mapped"
	}
	fe.Reason = strings.TrimSpace(fe.Reason)
	return fe
}
