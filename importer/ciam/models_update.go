package ciam

import (
	"fmt"
	"log/slog"
)

// Action names for updating users and paging through them.
const (
	ActionUpdateUser  = "UpdateUser"
	ActionSetPassword = "SetPassword"
	ActionListUser    = "ListUser"
)

// UpdateUserRequest changes an existing user. UserId and UserStoreId are
// required; every other field is optional and an empty one is not sent, so
// it leaves the stored value as it is (this request cannot clear a field).
// The values are absolute, so sending the same request twice has the effect
// of sending it once. UpdateUser has no Password: use SetPassword.
type UpdateUserRequest struct {
	UserId                  string      `json:"UserId"`
	UserStoreId             string      `json:"UserStoreId"`
	UserName                string      `json:"UserName,omitempty"`
	PhoneNumber             string      `json:"PhoneNumber,omitempty"`
	Email                   string      `json:"Email,omitempty"`
	Nickname                string      `json:"Nickname,omitempty"`
	Address                 string      `json:"Address,omitempty"`
	UserGroup               []string    `json:"UserGroup,omitempty"`
	Birthdate               *int64      `json:"Birthdate,omitempty"`
	CustomizationAttributes []MemberMap `json:"CustomizationAttributes,omitempty"`
	IndexedAttribute1       string      `json:"IndexedAttribute1,omitempty"`
	IndexedAttribute2       string      `json:"IndexedAttribute2,omitempty"`
	IndexedAttribute3       string      `json:"IndexedAttribute3,omitempty"`
	IndexedAttribute4       string      `json:"IndexedAttribute4,omitempty"`
	IndexedAttribute5       string      `json:"IndexedAttribute5,omitempty"`
	UserOrg                 []string    `json:"UserOrg,omitempty"`
}

// UpdateUserResponse holds the user after the update; on success User is
// non-nil.
type UpdateUserResponse struct {
	User      *User  `json:"User"`
	RequestId string `json:"RequestId"`
}

// SetPasswordRequest sets a user's password; all fields are required.
// Password is secret: String, Format and LogValue redact it, and no error
// of this package contains it.
type SetPasswordRequest struct {
	UserStoreId string `json:"UserStoreId"`
	UserId      string `json:"UserId"`
	Password    string `json:"Password"`
}

// String describes the request without its password.
func (r SetPasswordRequest) String() string {
	return "SetPassword{UserStoreId:" + r.UserStoreId + " UserId:" + r.UserId + " Password:[REDACTED]}"
}

// GoString keeps the password out of %#v.
func (r SetPasswordRequest) GoString() string { return "ciam." + r.String() }

// Format prints String for every verb.
func (r SetPasswordRequest) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r) }

// LogValue keeps the password out of structured logs.
func (r SetPasswordRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user_store_id", r.UserStoreId),
		slog.String("user_id", r.UserId), slog.String("password", "[REDACTED]"))
}

func (r *SetPasswordRequest) secrets() []string { return []string{r.Password} }

// SetPasswordResponse carries only the RequestId.
type SetPasswordResponse struct {
	RequestId string `json:"RequestId"`
}

// Filter keys accepted by ListUser.
const (
	FilterCondition    = "condition"    // user id, user name, phone or email
	FilterUserGroup    = "userGroup"    // user group id
	FilterUserOrg      = "userOrg"      // organisation id
	FilterWeComUserOrg = "weComUserOrg" // WeCom organisation id
)

// Filter is one ListUser condition.
type Filter struct {
	Key    string   `json:"Key,omitempty"`
	Values []string `json:"Values,omitempty"`
	Logic  *bool    `json:"Logic,omitempty"`
}

// ListUserRequest pages through users, optionally filtered. Whether
// PageNumber counts from 0 or 1 is not documented.
type ListUserRequest struct {
	UserStoreId string   `json:"UserStoreId"`
	Pageable    Pageable `json:"Pageable"`
	Filters     []Filter `json:"Filters,omitempty"`
	Original    *bool    `json:"Original,omitempty"`
}

// ListUserResponse is one page of users.
type ListUserResponse struct {
	Total     int64     `json:"Total"`
	Pageable  *Pageable `json:"Pageable"`
	Content   []User    `json:"Content"`
	RequestId string    `json:"RequestId"`
}
