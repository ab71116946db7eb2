package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// ListUser filter keys (reference §2.5, the Filters comment).
const (
	listKeyCondition    = "condition"
	listKeyUserGroup    = "userGroup"
	listKeyUserOrg      = "userOrg"
	listKeyWeComUserOrg = "weComUserOrg"
)

// listFilter is one ListUser Filter {Key, Values, Logic}.
type listFilter struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
	Logic  *bool    `json:"Logic"`
}

type listUserRequest struct {
	UserStoreId string       `json:"UserStoreId"`
	Pageable    pageable     `json:"Pageable"`
	Filters     []listFilter `json:"Filters"`
	Original    *bool        `json:"Original"`
}

// listUser is the paged list with condition search. The reference documents
// the keys and what their Values hold, nothing more; the emulator's reading:
//   - condition: a user matches when a value is a substring of its user id,
//     user name, phone number or email ("查询条件": a search, so a client must
//     check the answers itself); userGroup, userOrg: exact ids; weComUserOrg
//     matches nothing (WeCom is not emulated); another Key is
//     InvalidParameterValue.
//   - Values: exactly one, unless Config.ListUserAnyValue, which matches a
//     user when any value does (undocumented); none is InvalidParameterValue.
//   - Logic false negates the filter (as QueryUserFilter's Logic); filters
//     are ANDed; creation order; paging as DescribeUser.
func (s *Server) listUser(req *listUserRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId", "Pageable"); aerr != nil {
		return nil, aerr
	}
	if aerr := s.checkPage(p, req.Pageable); aerr != nil {
		return nil, aerr
	}
	st, aerr := s.store(req.UserStoreId)
	if aerr != nil {
		return nil, aerr
	}
	for i, f := range req.Filters {
		if aerr := s.checkListFilter(i, f); aerr != nil {
			return nil, aerr
		}
	}
	s.mu.Lock()
	var matched []*User
	for _, u := range st.all() {
		if listMatches(req.Filters, u) {
			matched = append(matched, u)
		}
	}
	resp := page(matched, req.Pageable, isTrue(req.Original), rid)
	s.mu.Unlock()
	return resp, nil
}

func (s *Server) checkListFilter(i int, f listFilter) *apiError {
	switch f.Key {
	case listKeyCondition, listKeyUserGroup, listKeyUserOrg, listKeyWeComUserOrg:
	default:
		return errParamValue(fmt.Sprintf("Filters.%d.Key", i))
	}
	if len(f.Values) == 0 || (len(f.Values) > 1 && !s.cfg.ListUserAnyValue) {
		return errParamValue(fmt.Sprintf("Filters.%d.Values", i))
	}
	return nil
}

func listMatches(filters []listFilter, u *User) bool {
	for _, f := range filters {
		if f.matches(u) == (f.Logic != nil && !*f.Logic) {
			return false
		}
	}
	return true
}

func (f listFilter) matches(u *User) bool {
	for _, v := range f.Values {
		switch f.Key {
		case listKeyCondition:
			for _, field := range []string{u.UserId, deref(u.UserName), deref(u.PhoneNumber), deref(u.Email)} {
				if v != "" && strings.Contains(field, v) {
					return true
				}
			}
		case listKeyUserGroup:
			if slices.Contains(u.UserGroups, v) {
				return true
			}
		case listKeyUserOrg:
			if slices.Contains(u.UserOrgs, v) {
				return true
			}
		}
	}
	return false
}
