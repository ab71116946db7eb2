package emulator

import (
	"fmt"
	"strings"
)

// Actions on user groups (reference §2.7).
const (
	actionCreateUserGroup = "CreateUserGroup"
	actionListUserGroups  = "ListUserGroups"
)

// CodeUserGroupNameExists answers CreateUserGroup for a DisplayName the
// store already has (reference §2.7).
const CodeUserGroupNameExists = "FailedOperation.UserGroupNameAlreadyExists"

// userGroup is one user group. store "" marks a group of Config.UserGroups,
// listed in (and valid for) every store. Guarded by Server.gmu.
type userGroup struct {
	UserGroup
	store string
}

// UserGroup is a group as ListUserGroups answers it (note LastModifyDate,
// not LastModifiedDate, reference Appendix A).
type UserGroup struct {
	UserGroupId    string  `json:"UserGroupId"`
	DisplayName    string  `json:"DisplayName"`
	Description    *string `json:"Description"`
	UserStoreId    string  `json:"UserStoreId"`
	TenantId       string  `json:"TenantId"`
	CreatedDate    int64   `json:"CreatedDate"`
	LastModifyDate int64   `json:"LastModifyDate"`
}

type createUserGroupRequest struct {
	DisplayName string `json:"DisplayName"`
	UserStoreId string `json:"UserStoreId"`
	Description string `json:"Description"`
}

type createUserGroupResponse struct {
	UserGroupId string `json:"UserGroupId"`
	RequestId   string `json:"RequestId"`
}

type listUserGroupsRequest struct {
	UserStoreId string       `json:"UserStoreId"`
	Pageable    pageable     `json:"Pageable"`
	Filters     []listFilter `json:"Filters"`
}

type listUserGroupsResponse struct {
	Content   []UserGroup `json:"Content"`
	Total     int64       `json:"Total"`
	Pageable  *pageable   `json:"Pageable"`
	RequestId string      `json:"RequestId"`
}

// configGroups makes the groups of Config.UserGroups, named by
// Config.UserGroupNames or else "group<N>" (1-based, in order).
func configGroups(cfg Config) []*userGroup {
	out := make([]*userGroup, len(cfg.UserGroups))
	for i, id := range cfg.UserGroups {
		name := cfg.UserGroupNames[id]
		if name == "" {
			name = fmt.Sprintf("group%d", i+1)
		}
		out[i] = &userGroup{UserGroup: UserGroup{UserGroupId: id, DisplayName: name, TenantId: cfg.TenantID}}
	}
	return out
}

// knownGroup reports whether id names a group valid in every store (a
// created group is valid in every store too: the emulator's reading).
func (s *Server) knownGroup(id string) bool {
	s.gmu.RLock()
	defer s.gmu.RUnlock()
	for _, g := range s.groupList {
		if g.UserGroupId == id {
			return true
		}
	}
	return false
}

// createUserGroup adds a group to the store. DisplayName and UserStoreId
// are required (MissingParameter; blank DisplayName InvalidParameterValue);
// a name the store already lists is FailedOperation.UserGroupNameAlreadyExists.
func (s *Server) createUserGroup(req *createUserGroupRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "DisplayName", "UserStoreId"); aerr != nil {
		return nil, aerr
	}
	if _, aerr := s.store(req.UserStoreId); aerr != nil {
		return nil, aerr
	}
	if strings.TrimSpace(req.DisplayName) == "" {
		return nil, errParamValue("DisplayName")
	}
	s.mu.Lock()
	id := newUserID(s.idRNG)
	s.mu.Unlock()
	now := s.cfg.Now().UnixMilli()
	g := &userGroup{store: req.UserStoreId, UserGroup: UserGroup{UserGroupId: id, DisplayName: req.DisplayName,
		Description: nonEmpty(req.Description), TenantId: s.cfg.TenantID, CreatedDate: now, LastModifyDate: now}}
	s.gmu.Lock()
	defer s.gmu.Unlock()
	for _, o := range s.groupsOf(req.UserStoreId) {
		if o.DisplayName == req.DisplayName {
			return nil, newError(CodeUserGroupNameExists)
		}
	}
	s.groupList = append(s.groupList, g)
	return createUserGroupResponse{UserGroupId: id, RequestId: rid}, nil
}

// groupsOf lists the groups of store, configured ones first, then in
// creation order. Call with s.gmu held.
func (s *Server) groupsOf(store string) []UserGroup {
	var out []UserGroup
	for _, g := range s.groupList {
		if g.store == "" || g.store == store {
			c := g.UserGroup
			c.UserStoreId = store
			out = append(out, c)
		}
	}
	return out
}

// listUserGroups pages through the store's groups. UserStoreId and
// Pageable are required, paged as DescribeUser. The only Filter Key is
// condition; a group matches when a value equals its id or is a substring
// of its DisplayName (the reference: "用户组ID或用户组名称", the emulator's
// reading); Logic false negates; another Key is InvalidParameterValue.
func (s *Server) listUserGroups(req *listUserGroupsRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId", "Pageable"); aerr != nil {
		return nil, aerr
	}
	if aerr := s.checkPage(p, req.Pageable); aerr != nil {
		return nil, aerr
	}
	if _, aerr := s.store(req.UserStoreId); aerr != nil {
		return nil, aerr
	}
	for i, f := range req.Filters {
		if f.Key != listKeyCondition || len(f.Values) == 0 {
			return nil, errParamValue(fmt.Sprintf("Filters.%d", i))
		}
	}
	s.gmu.RLock()
	all := s.groupsOf(req.UserStoreId)
	s.gmu.RUnlock()
	matched := []UserGroup{}
	for _, g := range all {
		if groupMatches(g, req.Filters) {
			matched = append(matched, g)
		}
	}
	pg := req.Pageable
	return listUserGroupsResponse{Content: pageOf(matched, pg), Total: int64(len(matched)), Pageable: &pg, RequestId: rid}, nil
}

func groupMatches(g UserGroup, filters []listFilter) bool {
	for _, f := range filters {
		hit := false
		for _, v := range f.Values {
			hit = hit || v == g.UserGroupId || strings.Contains(g.DisplayName, v)
		}
		if hit != (f.Logic == nil || *f.Logic) {
			return false
		}
	}
	return true
}

// pageOf is page pg (1-based) of items; [] past the end.
func pageOf[T any](items []T, pg pageable) []T {
	from := (pg.PageNumber - 1) * pg.PageSize
	if from >= int64(len(items)) {
		return []T{}
	}
	to := min(from+pg.PageSize, int64(len(items)))
	return items[from:to]
}
