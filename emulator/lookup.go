package emulator

import ()

// store returns the user store id names, or FailedOperation.InvalidUserStore.
func (s *Server) store(id string) (*userStore, *apiError) {
	st, ok := s.stores[id]
	if !ok {
		return nil, newError(CodeInvalidUserStore)
	}
	return st, nil
}

func requireParams(p params, keys ...string) *apiError {
	return requireIn(p, "", keys...)
}

// requireIn answers MissingParameter naming prefix+key for the first key
// absent (or null) from p.
func requireIn(p params, prefix string, keys ...string) *apiError {
	for _, k := range keys {
		if !p.has(k) {
			return errMissing(prefix + k)
		}
	}
	return nil
}

// listUserByProperty looks users up by exact phone number or email
// (PropertyCode phoneNumber or email, reference §2.5). No match is an empty
// list, not an error.
func (s *Server) listUserByProperty(req *listUserByPropertyRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId", "PropertyCode", "PropertyValue"); aerr != nil {
		return nil, aerr
	}
	st, aerr := s.store(req.UserStoreId)
	if aerr != nil {
		return nil, aerr
	}
	if req.PropertyCode != propertyPhoneNumber && req.PropertyCode != propertyEmail {
		return nil, errParamValue("PropertyCode")
	}
	s.mu.Lock()
	users := st.lookup(req.PropertyCode, req.PropertyValue)
	s.mu.Unlock()
	return listUserByPropertyResponse{
		Users:     present(users, isTrue(req.Original)),
		RequestId: rid,
	}, nil
}

// describeUserByID answers the user, or "User": null when there is none.
func (s *Server) describeUserByID(req *describeUserByIDRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId", "UserId"); aerr != nil {
		return nil, aerr
	}
	st, aerr := s.store(req.UserStoreId)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	users := st.lookup(propID, req.UserId)
	s.mu.Unlock()
	resp := userResponse{RequestId: rid}
	if len(users) > 0 {
		u := presentOne(users[0], isTrue(req.Original))
		resp.User = &u
	}
	return resp, nil
}

// describeUser is the multi-condition query: whitelisted filters, sort and
// 1-based paging.
func (s *Server) describeUser(req *describeUserRequest, p params, rid string) (any, *apiError) {
	st, q, aerr := s.parseQuery(req, p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return page(q.run(st), req.Pageable, isTrue(req.Original), rid), nil
}

// page answers one 1-based page of matched. Call with s.mu held.
func page(matched []*User, pg pageable, original bool, rid string) pageResponse {
	n := int64(len(matched))
	from := min(n, (pg.PageNumber-1)*pg.PageSize)
	to := min(n, from+pg.PageSize)
	return pageResponse{Total: n, Pageable: &pg, Content: present(matched[from:to], original), RequestId: rid}
}

func (s *Server) parseQuery(req *describeUserRequest, p params) (*userStore, query, *apiError) {
	if aerr := requireParams(p, "UserStoreId", "Pageable"); aerr != nil {
		return nil, query{}, aerr
	}
	if aerr := s.checkPage(p, req.Pageable); aerr != nil {
		return nil, query{}, aerr
	}
	st, aerr := s.store(req.UserStoreId)
	if aerr != nil {
		return nil, query{}, aerr
	}
	q, aerr := parseFilters(req.Filters)
	if aerr != nil {
		return nil, query{}, aerr
	}
	q.sort, aerr = parseSort(req.Sort)
	return st, q, aerr
}

// checkPage requires both Pageable fields, PageSize in [1, MaxPageSize]
// and PageNumber >= 1 (MissingParameter, InvalidParameterValue).
func (s *Server) checkPage(p params, pg pageable) *apiError {
	raw, _ := p["Pageable"].(map[string]any)
	if aerr := requireIn(raw, "Pageable.", "PageSize", "PageNumber"); aerr != nil {
		return aerr
	}
	if pg.PageSize < 1 || (s.cfg.MaxPageSize > 0 && pg.PageSize > int64(s.cfg.MaxPageSize)) {
		return errParamValue("Pageable.PageSize")
	}
	if pg.PageNumber < 1 {
		return errParamValue("Pageable.PageNumber")
	}
	return nil
}

func isTrue(b *bool) bool { return b != nil && *b }
