package emulator

import (
	"strings"
)

// maxIndexedAttribute is the documented limit of IndexedAttribute1..5, in
// characters (FailedOperation.IndexedAttributeTooLong, reference §2.3).
const maxIndexedAttribute = 512

// Values of a freshly admin-created user (official example, reference §2.3).
const (
	statusNotEnabled = "NOT_ENABLED"
	statusNormal     = "NORMAL"
	sourceAdmin      = "管理员添加"
)

// createUser validates req and stores the new user. The order of checks is
// documented in the package comment.
func (s *Server) createUser(req *createUserRequest, p params, rid string) (any, *apiError) {
	if aerr := s.validateCreate(req, p); aerr != nil {
		return nil, aerr
	}
	u, aerr := s.insert(req, p)
	if aerr != nil {
		return nil, aerr
	}
	return userResponse{User: u, RequestId: rid}, nil
}

// validateCreate runs every check that does not depend on stored users.
func (s *Server) validateCreate(req *createUserRequest, p params) *apiError {
	if !p.has("UserStoreId") {
		return errMissing("UserStoreId")
	}
	if _, ok := s.stores[req.UserStoreId]; !ok {
		return newError(CodeInvalidUserStore)
	}
	if aerr := checkRequired(req); aerr != nil {
		return aerr
	}
	if aerr := s.cfg.Store.PasswordPolicy.check(req.Password); aerr != nil {
		return aerr
	}
	return s.checkFields(fields{
		userName: req.UserName, phone: req.PhoneNumber, email: req.Email,
		attrs: req.CustomizationAttributes, rawAttrs: p["CustomizationAttributes"],
		indexed: [5]string{req.IndexedAttribute1, req.IndexedAttribute2, req.IndexedAttribute3,
			req.IndexedAttribute4, req.IndexedAttribute5},
		groups: req.UserGroup, orgs: req.UserOrg,
	})
}

// checkRequired answers *IsNull for an absent, null, empty or blank
// identity field, in the order of the API's parameter table.
func checkRequired(req *createUserRequest) *apiError {
	for _, f := range []struct{ value, code string }{
		{req.PhoneNumber, CodePhoneNumberIsNull},
		{req.Email, CodeEmailIsNull},
		{req.Password, CodePasswordIsNull},
		{req.UserName, CodeUserNameIsNull},
	} {
		if strings.TrimSpace(f.value) == "" {
			return newError(f.code)
		}
	}
	return nil
}

// insert checks uniqueness (user name, then phone number, then email), the
// store quota, and stores the user, atomically.
func (s *Server) insert(req *createUserRequest, p params) (*User, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stores[req.UserStoreId]
	if aerr := st.checkUnique(req.UserName, req.PhoneNumber, req.Email, -1); aerr != nil {
		return nil, aerr
	}
	if aerr := s.checkRoom(st); aerr != nil {
		return nil, aerr
	}
	r := &record{user: s.buildUser(req, p), pw: plainCredential(req.Password)}
	st.add(r)
	s.stats.created.Add(1)
	u := r.user
	return &u, nil
}

// checkUnique answers the *AlreadyExists code of the first of user name,
// phone number and email (non-empty) that a user other than pos holds.
// Call with s.mu held.
func (st *userStore) checkUnique(userName, phone, email string, pos int) *apiError {
	switch {
	case userName != "" && st.taken(propUserName, userName, pos):
		return newError(CodeUserNameAlreadyExists)
	case phone != "" && st.taken(propPhoneNumber, phone, pos):
		return newError(CodePhoneNumberExists)
	case email != "" && st.taken(propEmail, email, pos):
		return newError(CodeEmailAlreadyExists)
	}
	return nil
}

// checkRoom answers FailedOperation.QuotaLimitExceeded when st is full.
func (s *Server) checkRoom(st *userStore) *apiError {
	if s.cfg.MaxUsersPerStore > 0 && st.live >= s.cfg.MaxUsersPerStore {
		return newError(CodeQuotaLimitExceeded)
	}
	return nil
}

// buildUser makes the stored user: every request field echoed under its
// response name, nulls for what was not sent, [] for empty lists.
func (s *Server) buildUser(req *createUserRequest, p params) User {
	now := s.cfg.Now().UnixMilli()
	return User{
		UserId:             newUserID(s.idRNG),
		UserName:           ptr(req.UserName),
		PhoneNumber:        ptr(req.PhoneNumber),
		Email:              ptr(req.Email),
		CreatedDate:        ptr(now),
		LastModifiedDate:   ptr(now),
		Status:             ptr(s.cfg.Store.createdStatus()),
		UserDataSourceEnum: ptr(sourceAdmin),
		Nickname:           optional(p, "Nickname", req.Nickname),
		Address:            optional(p, "Address", req.Address),
		Birthdate:          req.Birthdate,
		UserGroups:         append([]string{}, req.UserGroup...),
		CustomAttributes:   append([]MemberMap{}, req.CustomizationAttributes...),
		IdentityVerified:   ptr(false),
		Primary:            ptr(true),
		AlreadyFirstLogin:  ptr(false),
		TenantId:           ptr(s.cfg.TenantID),
		UserStoreId:        ptr(req.UserStoreId),
		IndexedAttribute1:  optional(p, "IndexedAttribute1", req.IndexedAttribute1),
		IndexedAttribute2:  optional(p, "IndexedAttribute2", req.IndexedAttribute2),
		IndexedAttribute3:  optional(p, "IndexedAttribute3", req.IndexedAttribute3),
		IndexedAttribute4:  optional(p, "IndexedAttribute4", req.IndexedAttribute4),
		IndexedAttribute5:  optional(p, "IndexedAttribute5", req.IndexedAttribute5),
		UserOrgs:           append([]string{}, req.UserOrg...),
	}
}

func ptr[T any](v T) *T { return &v }

// optional is nil unless the request carried key with a non-null value.
func optional(p params, key, value string) *string {
	if !p.has(key) {
		return nil
	}
	return &value
}

// countCall records one CreateUser call under each distinct identity it
// carries (user name, email, phone number).
func (s *Server) countCall(req *createUserRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{"": true}
	for _, id := range []string{req.UserName, req.Email, req.PhoneNumber} {
		if !seen[id] {
			seen[id] = true
			s.calls[id]++
		}
	}
}
