package emulator

import "strings"

// updateUserRequest is the body of UpdateUser (reference §2.6, Appendix A).
// Every field but UserId and UserStoreId is optional; which ones were sent
// is read from the params.
type updateUserRequest struct {
	UserId                  string      `json:"UserId"`
	UserStoreId             string      `json:"UserStoreId"`
	UserName                string      `json:"UserName"`
	PhoneNumber             string      `json:"PhoneNumber"`
	Email                   string      `json:"Email"`
	Nickname                string      `json:"Nickname"`
	Address                 string      `json:"Address"`
	UserGroup               []string    `json:"UserGroup"`
	Birthdate               *int64      `json:"Birthdate"`
	CustomizationAttributes []MemberMap `json:"CustomizationAttributes"`
	IndexedAttribute1       string      `json:"IndexedAttribute1"`
	IndexedAttribute2       string      `json:"IndexedAttribute2"`
	IndexedAttribute3       string      `json:"IndexedAttribute3"`
	IndexedAttribute4       string      `json:"IndexedAttribute4"`
	IndexedAttribute5       string      `json:"IndexedAttribute5"`
	UserOrg                 []string    `json:"UserOrg"`
}

type setPasswordRequest struct {
	UserStoreId string `json:"UserStoreId"`
	UserId      string `json:"UserId"`
	Password    string `json:"Password"`
}

type requestIDResponse struct {
	RequestId string `json:"RequestId"`
}

// updateUser changes the fields the request carries. The reference does not
// say what an absent or empty field means; the emulator's reading:
//   - absent or null: unchanged, or cleared under StoreSettings.UpdateMode
//     UpdateReplace (lists emptied);
//   - UserName, PhoneNumber, Email sent empty or blank: InvalidParameterValue
//     (no documented way to remove an identity);
//   - Nickname, Address, IndexedAttribute1..5 sent empty: cleared (null);
//   - UserGroup, UserOrg, CustomizationAttributes sent: replace the whole
//     list ([] empties it);
//   - Birthdate sent: replaced.
//
// Then the checks of CreateUser on what was sent, uniqueness against the
// other users (user name, phone number, email), LastModifiedDate = now.
func (s *Server) updateUser(req *updateUserRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserId", "UserStoreId"); aerr != nil {
		return nil, aerr
	}
	st, aerr := s.store(req.UserStoreId)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := s.validateUpdate(req, p); aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pos := st.position(req.UserId)
	if pos < 0 {
		return nil, newError(CodeUserNotFound)
	}
	u := st.users[pos].user
	s.cfg.Store.clearAbsent(&u, p)
	applyUpdate(&u, req, p)
	if aerr := st.checkUnique(deref(u.UserName), deref(u.PhoneNumber), deref(u.Email), pos); aerr != nil {
		return nil, aerr
	}
	u.LastModifiedDate = ptr(s.cfg.Now().UnixMilli())
	st.replace(pos, u)
	s.stats.updated.Add(1)
	return userResponse{User: &u, RequestId: rid}, nil
}

func (s *Server) validateUpdate(req *updateUserRequest, p params) *apiError {
	for _, f := range []struct{ key, value string }{
		{"UserName", req.UserName}, {"PhoneNumber", req.PhoneNumber}, {"Email", req.Email},
	} {
		if p.has(f.key) && strings.TrimSpace(f.value) == "" {
			return errParamValue(f.key)
		}
	}
	return s.checkFields(fields{
		userName: req.UserName, phone: req.PhoneNumber, email: req.Email,
		attrs: req.CustomizationAttributes, rawAttrs: p["CustomizationAttributes"],
		indexed: [5]string{req.IndexedAttribute1, req.IndexedAttribute2, req.IndexedAttribute3,
			req.IndexedAttribute4, req.IndexedAttribute5},
		groups: req.UserGroup, orgs: req.UserOrg,
	})
}

// applyUpdate copies the sent fields of req into u.
func applyUpdate(u *User, req *updateUserRequest, p params) {
	for _, f := range []struct {
		key   string
		value string
		dst   **string
	}{
		{"UserName", req.UserName, &u.UserName}, {"PhoneNumber", req.PhoneNumber, &u.PhoneNumber},
		{"Email", req.Email, &u.Email}, {"Nickname", req.Nickname, &u.Nickname},
		{"Address", req.Address, &u.Address},
		{"IndexedAttribute1", req.IndexedAttribute1, &u.IndexedAttribute1},
		{"IndexedAttribute2", req.IndexedAttribute2, &u.IndexedAttribute2},
		{"IndexedAttribute3", req.IndexedAttribute3, &u.IndexedAttribute3},
		{"IndexedAttribute4", req.IndexedAttribute4, &u.IndexedAttribute4},
		{"IndexedAttribute5", req.IndexedAttribute5, &u.IndexedAttribute5},
	} {
		if p.has(f.key) {
			*f.dst = nonEmpty(f.value)
		}
	}
	if p.has("UserGroup") {
		u.UserGroups = append([]string{}, req.UserGroup...)
	}
	if p.has("UserOrg") {
		u.UserOrgs = append([]string{}, req.UserOrg...)
	}
	if p.has("CustomizationAttributes") {
		u.CustomAttributes = append([]MemberMap{}, req.CustomizationAttributes...)
	}
	if p.has("Birthdate") {
		u.Birthdate = req.Birthdate
	}
}

// setPassword replaces the user's stored credential with a plaintext
// password. Password absent, empty or blank: FailedOperation.PasswordIsNull.
func (s *Server) setPassword(req *setPasswordRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId", "UserId"); aerr != nil {
		return nil, aerr
	}
	st, aerr := s.store(req.UserStoreId)
	if aerr != nil {
		return nil, aerr
	}
	if strings.TrimSpace(req.Password) == "" {
		return nil, newError(CodePasswordIsNull)
	}
	if aerr := s.cfg.Store.PasswordPolicy.check(req.Password); aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pos := st.position(req.UserId)
	if pos < 0 {
		return nil, newError(CodeUserNotFound)
	}
	st.users[pos].pw = plainCredential(req.Password)
	s.stats.updated.Add(1)
	return requestIDResponse{RequestId: rid}, nil
}

func nonEmpty(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
