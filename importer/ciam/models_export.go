package ciam

// Action names of the export job, user deletion and user groups
// (ciam-api.md §2.6–2.8).
const (
	ActionCreateFileExportUserJob = "CreateFileExportUserJob"
	ActionDeleteUsers             = "DeleteUsers"
	ActionListUserGroups          = "ListUserGroups"
	ActionCreateUserGroup         = "CreateUserGroup"
)

// Formats of an export job (CreateFileExportUserJobRequest.Format,
// Job.Format).
const (
	FormatNDJSON = "NDJSON"
	FormatCSV    = "CSV"
)

// Filter keys of CreateFileExportUserJob; FilterCondition (user id, name,
// phone or email) is accepted too, and is ListUserGroups' only key (group id
// or name).
const FilterUserGroupID = "userGroupId"

// CreateFileExportUserJobRequest starts an export of the store's users.
// UserStoreId is required. Format is FormatNDJSON or FormatCSV (empty: the
// service's default). Filters take FilterCondition or FilterUserGroupID.
// ExportPropertyMaps choose the attributes and their column names; empty
// exports every attribute.
type CreateFileExportUserJobRequest struct {
	UserStoreId        string              `json:"UserStoreId"`
	Format             string              `json:"Format,omitempty"`
	Filters            []Filter            `json:"Filters,omitempty"`
	ExportPropertyMaps []ExportPropertyMap `json:"ExportPropertyMaps,omitempty"`
}

// ExportPropertyMap maps a user attribute code (e.g. "nickname") to its
// column name in the export; both fields are required.
type ExportPropertyMap struct {
	UserPropertyCode string `json:"UserPropertyCode"`
	ColumnName       string `json:"ColumnName"`
}

// CreateFileExportUserJobResponse holds the created job (Type
// JobTypeExportUser); poll it with ListJobs until Finished, then read
// Job.Location with OpenLocation. On success Job is non-nil.
type CreateFileExportUserJobResponse struct {
	Job       *Job   `json:"Job"`
	RequestId string `json:"RequestId"`
}

// DeleteUsersRequest deletes users by id; both fields are required. No
// maximum number of ids per call is documented.
type DeleteUsersRequest struct {
	UserStoreId string   `json:"UserStoreId"`
	UserIds     []string `json:"UserIds"`
}

// DeleteUsersResponse carries only the RequestId.
type DeleteUsersResponse struct {
	RequestId string `json:"RequestId"`
}

// ListUserGroupsRequest pages through a store's user groups. UserStoreId
// and Pageable are required; Filters take FilterCondition only, whose
// Values are group ids or names (the reference does not say whether a name
// matches exactly or as a search: compare the answers yourself).
type ListUserGroupsRequest struct {
	UserStoreId string   `json:"UserStoreId"`
	Pageable    Pageable `json:"Pageable"`
	Filters     []Filter `json:"Filters,omitempty"`
}

// ListUserGroupsResponse is one page of user groups.
type ListUserGroupsResponse struct {
	Content   []UserGroup `json:"Content"`
	Total     int64       `json:"Total"`
	Pageable  *Pageable   `json:"Pageable"`
	RequestId string      `json:"RequestId"`
}

// UserGroup is a user group. Description may be null. Note LastModifyDate,
// not LastModifiedDate as on User. Dates are epoch milliseconds.
type UserGroup struct {
	UserGroupId    string  `json:"UserGroupId"`
	DisplayName    string  `json:"DisplayName"`
	Description    *string `json:"Description"`
	UserStoreId    string  `json:"UserStoreId"`
	TenantId       string  `json:"TenantId"`
	CreatedDate    int64   `json:"CreatedDate"`
	LastModifyDate int64   `json:"LastModifyDate"`
}

// CreateUserGroupRequest creates a group; DisplayName and UserStoreId are
// required. A name the store has is FailedOperation.UserGroupNameAlreadyExists.
type CreateUserGroupRequest struct {
	DisplayName string `json:"DisplayName"`
	UserStoreId string `json:"UserStoreId"`
	Description string `json:"Description,omitempty"`
}

// CreateUserGroupResponse holds the new group's id; on success UserGroupId
// is non-empty.
type CreateUserGroupResponse struct {
	UserGroupId string `json:"UserGroupId"`
	RequestId   string `json:"RequestId"`
}
