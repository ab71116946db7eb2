package ciam

import (
	"fmt"
	"log/slog"
)

// API identity of CIAM as the SDK's common client addresses it.
const (
	Service    = "ciam"
	APIVersion = "2022-03-31"
)

// Action names used by the importer.
const (
	ActionCreateUser         = "CreateUser"
	ActionListUserByProperty = "ListUserByProperty"
	ActionDescribeUser       = "DescribeUser"
	ActionDescribeUserByID   = "DescribeUserById"
)

// MemberMap is a custom attribute: CreateUser's CustomizationAttributes and
// User's CustomAttributes. Type is optional; "STRING" is the only value the
// documentation shows.
type MemberMap struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
	Type  string `json:"Type,omitempty"`
}

// CreateUserRequest is the body of CreateUser. UserStoreId, PhoneNumber,
// Email, Password and UserName are required by the service; empty optional
// fields are not sent. Password is secret: the request's String and LogValue
// redact it, and nothing in this package puts it in an error.
type CreateUserRequest struct {
	UserStoreId             string      `json:"UserStoreId"`
	PhoneNumber             string      `json:"PhoneNumber,omitempty"`
	Email                   string      `json:"Email,omitempty"`
	Password                string      `json:"Password,omitempty"`
	UserName                string      `json:"UserName,omitempty"`
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

// String describes the request without its password. It has a value
// receiver so that a CreateUserRequest value prints redacted too.
func (r CreateUserRequest) String() string {
	return "CreateUser{UserStoreId:" + r.UserStoreId + " UserName:" + r.UserName + " Password:[REDACTED]}"
}

// GoString keeps the password out of %#v.
func (r CreateUserRequest) GoString() string { return "ciam." + r.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %d, ...), so no fmt
// verb can reach the Password field.
func (r CreateUserRequest) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, r.GoString())
		return
	}
	fmt.Fprint(f, r.String())
}

// LogValue keeps the password out of structured logs.
func (r CreateUserRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("user_store_id", r.UserStoreId),
		slog.String("user_name", r.UserName),
		slog.String("password", "[REDACTED]"),
	)
}

func (r *CreateUserRequest) secrets() []string { return []string{r.Password} }

// CreateUserResponse is the Response object of CreateUser.
type CreateUserResponse struct {
	User      *User  `json:"User"`
	RequestId string `json:"RequestId"`
}

// User is the user object the service returns. Fields the service may return
// as JSON null are pointers. Note the response names differ from the request:
// UserGroups (not UserGroup), UserOrgs, CustomAttributes.
type User struct {
	UserId                     string      `json:"UserId"`
	UserName                   *string     `json:"UserName"`
	PhoneNumber                *string     `json:"PhoneNumber"`
	Email                      *string     `json:"Email"`
	LastSignOn                 *int64      `json:"LastSignOn"`
	CreatedDate                *int64      `json:"CreatedDate"`
	Status                     *string     `json:"Status"`
	UserDataSourceEnum         *string     `json:"UserDataSourceEnum"`
	Nickname                   *string     `json:"Nickname"`
	Address                    *string     `json:"Address"`
	Birthdate                  *int64      `json:"Birthdate"`
	UserGroups                 []string    `json:"UserGroups"`
	UserGroupNames             []string    `json:"UserGroupNames,omitempty"`
	LastModifiedDate           *int64      `json:"LastModifiedDate"`
	CustomAttributes           []MemberMap `json:"CustomAttributes"`
	ResidentIdentityCard       *string     `json:"ResidentIdentityCard"`
	QqOpenId                   *string     `json:"QqOpenId"`
	QqUnionId                  *string     `json:"QqUnionId"`
	WechatOpenId               *string     `json:"WechatOpenId"`
	WechatUnionId              *string     `json:"WechatUnionId"`
	AlipayUserId               *string     `json:"AlipayUserId"`
	WeComUserId                *string     `json:"WeComUserId"`
	Description                *string     `json:"Description"`
	Name                       *string     `json:"Name"`
	Locale                     *string     `json:"Locale"`
	Gender                     *string     `json:"Gender"`
	IdentityVerificationMethod *string     `json:"IdentityVerificationMethod"`
	IdentityVerified           *bool       `json:"IdentityVerified"`
	Job                        *string     `json:"Job"`
	Nationality                *string     `json:"Nationality"`
	Primary                    *bool       `json:"Primary"`
	Zone                       *string     `json:"Zone"`
	AlreadyFirstLogin          *bool       `json:"AlreadyFirstLogin"`
	TenantId                   *string     `json:"TenantId"`
	UserStoreId                *string     `json:"UserStoreId"`
	Version                    *int64      `json:"Version"`
	LockType                   *string     `json:"LockType"`
	LockTime                   *int64      `json:"LockTime"`
	IndexedAttribute1          *string     `json:"IndexedAttribute1"`
	IndexedAttribute2          *string     `json:"IndexedAttribute2"`
	IndexedAttribute3          *string     `json:"IndexedAttribute3"`
	IndexedAttribute4          *string     `json:"IndexedAttribute4"`
	IndexedAttribute5          *string     `json:"IndexedAttribute5"`
	UserOrgs                   []string    `json:"UserOrgs"`
	WeComUserOrgs              []int64     `json:"WeComUserOrgs,omitempty"`
}

// Property codes accepted by ListUserByProperty.
const (
	PropertyPhoneNumber = "phoneNumber"
	PropertyEmail       = "email"
)

// ListUserByPropertyRequest looks users up by exact phone number or email.
type ListUserByPropertyRequest struct {
	UserStoreId   string `json:"UserStoreId"`
	PropertyCode  string `json:"PropertyCode"`
	PropertyValue string `json:"PropertyValue"`
	Original      *bool  `json:"Original,omitempty"`
}

// ListUserByPropertyResponse holds the matching users; empty means none.
type ListUserByPropertyResponse struct {
	Users     []User `json:"Users"`
	RequestId string `json:"RequestId"`
}

// Pageable selects a page; both fields are required when sent.
type Pageable struct {
	PageSize   int64 `json:"PageSize"`
	PageNumber int64 `json:"PageNumber"`
}

// QueryUserFilter is one DescribeUser condition. PropertyKey must be one of
// the whitelist (id, userName, phoneNumber, email, userGroup, alipayUserId,
// wechatOpenId, wechatUnionId, qqOpenId, qqUnionId, lastModifiedDate,
// indexedAttribute1..5). Logic true means equal, false not equal.
type QueryUserFilter struct {
	PropertyKey   string `json:"PropertyKey"`
	PropertyValue string `json:"PropertyValue"`
	Logic         *bool  `json:"Logic,omitempty"`
	OperateLogic  string `json:"OperateLogic,omitempty"`
}

// Sort orders DescribeUser results.
type Sort struct {
	PropertyKey string `json:"PropertyKey"`
	Order       string `json:"Order,omitempty"`
}

// DescribeUserRequest is the multi-condition user query.
type DescribeUserRequest struct {
	UserStoreId string            `json:"UserStoreId"`
	Pageable    Pageable          `json:"Pageable"`
	Filters     []QueryUserFilter `json:"Filters,omitempty"`
	Original    *bool             `json:"Original,omitempty"`
	Sort        *Sort             `json:"Sort,omitempty"`
}

// DescribeUserResponse is one page of DescribeUser results.
type DescribeUserResponse struct {
	Total     int64     `json:"Total"`
	Pageable  *Pageable `json:"Pageable"`
	Content   []User    `json:"Content"`
	RequestId string    `json:"RequestId"`
}

// DescribeUserByIdRequest fetches one user by UserId.
type DescribeUserByIdRequest struct {
	UserStoreId string `json:"UserStoreId"`
	UserId      string `json:"UserId"`
	Original    *bool  `json:"Original,omitempty"`
}

// DescribeUserByIdResponse holds the user, or a nil User when none exists.
type DescribeUserByIdResponse struct {
	User      *User  `json:"User"`
	RequestId string `json:"RequestId"`
}

// ErrorBody is the error object inside an API 3.0 error response:
// {"Response":{"Error":{"Code":"…","Message":"…"},"RequestId":"…"}}.
type ErrorBody struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}
