package emulator

// Wire types of the import job (reference §2.8, Appendix A). Every field of
// ImportUser is optional.

// importUser is one element of DataFlowUserCreateList.
type importUser struct {
	UserName                   string      `json:"UserName"`
	PhoneNumber                string      `json:"PhoneNumber"`
	Email                      string      `json:"Email"`
	ResidentIdentityCard       string      `json:"ResidentIdentityCard"`
	Nickname                   string      `json:"Nickname"`
	Address                    string      `json:"Address"`
	UserGroup                  []string    `json:"UserGroup"`
	QqOpenId                   string      `json:"QqOpenId"`
	QqUnionId                  string      `json:"QqUnionId"`
	WechatOpenId               string      `json:"WechatOpenId"`
	WechatUnionId              string      `json:"WechatUnionId"`
	AlipayUserId               string      `json:"AlipayUserId"`
	WeComUserId                string      `json:"WeComUserId"`
	Description                string      `json:"Description"`
	Birthdate                  string      `json:"Birthdate"`
	Name                       string      `json:"Name"`
	Locale                     string      `json:"Locale"`
	Gender                     string      `json:"Gender"`
	IdentityVerificationMethod string      `json:"IdentityVerificationMethod"`
	IdentityVerified           *bool       `json:"IdentityVerified"`
	Job                        string      `json:"Job"`
	Nationality                string      `json:"Nationality"`
	Zone                       string      `json:"Zone"`
	Password                   string      `json:"Password"`
	CustomizationAttributes    []MemberMap `json:"CustomizationAttributes"`
	Salt                       *salt       `json:"Salt"`
	PasswordEncryptTypeEnum    string      `json:"PasswordEncryptTypeEnum"`
	IndexedAttribute1          string      `json:"IndexedAttribute1"`
	IndexedAttribute2          string      `json:"IndexedAttribute2"`
	IndexedAttribute3          string      `json:"IndexedAttribute3"`
	IndexedAttribute4          string      `json:"IndexedAttribute4"`
	IndexedAttribute5          string      `json:"IndexedAttribute5"`
}

type salt struct {
	SaltValue    string        `json:"SaltValue"`
	SaltLocation *saltLocation `json:"SaltLocation"`
}

type saltLocation struct {
	SaltLocationTypeEnum string            `json:"SaltLocationTypeEnum"`
	SaltLocationRule     *saltLocationRule `json:"SaltLocationRule"`
}

type saltLocationRule struct {
	Regex string `json:"Regex"`
}

type createImportJobRequest struct {
	UserStoreId            string       `json:"UserStoreId"`
	DataFlowUserCreateList []importUser `json:"DataFlowUserCreateList"`
}

// Job is the import job as CreateApiImportUserJob and ListJobs answer it.
type Job struct {
	Id           string         `json:"Id"`
	Status       string         `json:"Status"`
	Type         string         `json:"Type"`
	CreatedDate  int64          `json:"CreatedDate"`
	Format       *string        `json:"Format"`
	Location     *string        `json:"Location"`
	ErrorDetails []ErrorDetails `json:"ErrorDetails"`
	FailedUsers  []FailedUsers  `json:"FailedUsers"`
}

// ErrorDetails is one entry of Job.ErrorDetails.
type ErrorDetails struct {
	UserId string `json:"UserId"`
	Error  string `json:"Error"`
}

// FailedUsers is one entry of Job.FailedUsers.
type FailedUsers struct {
	FailedUserIdentification string `json:"FailedUserIdentification"`
	FailedReason             string `json:"FailedReason"`
}

type jobResponse struct {
	Job       Job    `json:"Job"`
	RequestId string `json:"RequestId"`
}

type listJobsRequest struct {
	UserStoreId string   `json:"UserStoreId"`
	JobIds      []string `json:"JobIds"`
}

type listJobsResponse struct {
	JobSet    []Job  `json:"JobSet"`
	RequestId string `json:"RequestId"`
}

// Job statuses and type (reference Appendix A, Job).
const (
	JobPending    = "PENDING"
	JobProcessing = "PROCESSING"
	JobCompleted  = "COMPLETED"
	JobFailed     = "FAILED"
	jobTypeImport = "IMPORT_USER"
	// JobTypeExportUser is the Type of a CreateFileExportUserJob job.
	JobTypeExportUser = "EXPORT_USER"
)
