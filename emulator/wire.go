package emulator

// This file is the emulator's own reading of the CIAM 2022-03-31 wire
// format (reference Appendix A). It deliberately shares nothing with the
// importer's client models, so a misreading in the client is not mirrored
// by the emulator that tests it.

// API identity of CIAM (reference §2.1).
const (
	service    = "ciam"
	apiVersion = "2022-03-31"
)

// Action names the emulator implements (reference §2.2).
const (
	actionCreateUser             = "CreateUser"
	actionListUserByProperty     = "ListUserByProperty"
	actionDescribeUser           = "DescribeUser"
	actionDescribeUserByID       = "DescribeUserById"
	actionListUser               = "ListUser"
	actionUpdateUser             = "UpdateUser"
	actionSetPassword            = "SetPassword"
	actionCreateApiImportUserJob = "CreateApiImportUserJob"
	actionListJobs               = "ListJobs"
)

// MemberMap is a custom attribute {Name, Value, Type} (reference §2.4).
type MemberMap struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
	Type  string `json:"Type,omitempty"`
}

// User is the user object the emulator answers and Server.Users returns,
// every key of the official examples present (null when unset).
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
}

// createUserRequest is the body of CreateUser (reference §2.3).
type createUserRequest struct {
	UserStoreId             string      `json:"UserStoreId"`
	PhoneNumber             string      `json:"PhoneNumber"`
	Email                   string      `json:"Email"`
	Password                string      `json:"Password"`
	UserName                string      `json:"UserName"`
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

// userResponse is the Response of CreateUser, UpdateUser and
// DescribeUserById ("User": null when DescribeUserById finds none).
type userResponse struct {
	User      *User  `json:"User"`
	RequestId string `json:"RequestId"`
}

// Property codes of ListUserByProperty (reference §2.5).
const (
	propertyPhoneNumber = "phoneNumber"
	propertyEmail       = "email"
)

type listUserByPropertyRequest struct {
	UserStoreId   string `json:"UserStoreId"`
	PropertyCode  string `json:"PropertyCode"`
	PropertyValue string `json:"PropertyValue"`
	Original      *bool  `json:"Original"`
}

type listUserByPropertyResponse struct {
	Users     []User `json:"Users"`
	RequestId string `json:"RequestId"`
}

// pageable is {PageSize, PageNumber}, both required when sent.
type pageable struct {
	PageSize   int64 `json:"PageSize"`
	PageNumber int64 `json:"PageNumber"`
}

// queryUserFilter is one DescribeUser condition. Logic: true equal, false
// not equal (reference §2.5, verbatim "等于true，不等于false").
type queryUserFilter struct {
	PropertyKey   string `json:"PropertyKey"`
	PropertyValue string `json:"PropertyValue"`
	Logic         *bool  `json:"Logic"`
	OperateLogic  string `json:"OperateLogic"`
}

type sortRequest struct {
	PropertyKey string `json:"PropertyKey"`
	Order       string `json:"Order"`
}

type describeUserRequest struct {
	UserStoreId string            `json:"UserStoreId"`
	Pageable    pageable          `json:"Pageable"`
	Filters     []queryUserFilter `json:"Filters"`
	Original    *bool             `json:"Original"`
	Sort        *sortRequest      `json:"Sort"`
}

// pageResponse is the Response of DescribeUser and ListUser.
type pageResponse struct {
	Total     int64     `json:"Total"`
	Pageable  *pageable `json:"Pageable"`
	Content   []User    `json:"Content"`
	RequestId string    `json:"RequestId"`
}

type describeUserByIDRequest struct {
	UserStoreId string `json:"UserStoreId"`
	UserId      string `json:"UserId"`
	Original    *bool  `json:"Original"`
}

// errorBody is the Error object of an API 3.0 error answer.
type errorBody struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}
