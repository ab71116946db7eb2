package ciam

import (
	"fmt"
	"log/slog"
	"strconv"
)

// Action names of CIAM's own batch import (ciam-api.md §2.8).
const (
	ActionCreateApiImportUserJob = "CreateApiImportUserJob"
	ActionListJobs               = "ListJobs"
)

// Password encodings accepted in ImportUser.PasswordEncryptTypeEnum. The
// field documents SHA1 and BCRYPT; the ImportUser description also names
// plaintext and MD5 import without giving their enum values, so none is
// defined here for them (the reference is silent).
const (
	PasswordSHA1   = "SHA1"
	PasswordBCRYPT = "BCRYPT"
)

// Salt positions accepted in SaltLocation.SaltLocationTypeEnum.
const (
	SaltHead  = "HEAD"
	SaltTail  = "TAIL"
	SaltOther = "OTHER" // position given by SaltLocationRule.Regex
)

// Job statuses and types (Job.Status, Job.Type).
const (
	JobPending    = "PENDING"
	JobProcessing = "PROCESSING"
	JobCompleted  = "COMPLETED"
	JobFailed     = "FAILED"

	JobTypeImportUser = "IMPORT_USER"
	JobTypeExportUser = "EXPORT_USER"
)

// ImportUser is one user of a CreateApiImportUserJob. Every field is
// optional, but at least one of UserName, PhoneNumber, Email, WechatOpenId,
// WechatUnionId, AlipayUserId, QqOpenId, QqUnionId and WeComUserId must be
// set. Password is the password (plain or hashed per
// PasswordEncryptTypeEnum) and, with Salt, is secret: String, Format and
// LogValue never show them, and no error of this package contains them.
// Birthdate is a string here ("2022-10-20" in the official example), unlike
// CreateUser's millisecond int64. ImportUser has no UserOrg.
type ImportUser struct {
	UserName                   string      `json:"UserName,omitempty"`
	PhoneNumber                string      `json:"PhoneNumber,omitempty"`
	Email                      string      `json:"Email,omitempty"`
	ResidentIdentityCard       string      `json:"ResidentIdentityCard,omitempty"`
	Nickname                   string      `json:"Nickname,omitempty"`
	Address                    string      `json:"Address,omitempty"`
	UserGroup                  []string    `json:"UserGroup,omitempty"`
	QqOpenId                   string      `json:"QqOpenId,omitempty"`
	QqUnionId                  string      `json:"QqUnionId,omitempty"`
	WechatOpenId               string      `json:"WechatOpenId,omitempty"`
	WechatUnionId              string      `json:"WechatUnionId,omitempty"`
	AlipayUserId               string      `json:"AlipayUserId,omitempty"`
	WeComUserId                string      `json:"WeComUserId,omitempty"`
	Description                string      `json:"Description,omitempty"`
	Birthdate                  string      `json:"Birthdate,omitempty"`
	Name                       string      `json:"Name,omitempty"`
	Locale                     string      `json:"Locale,omitempty"`
	Gender                     string      `json:"Gender,omitempty"`
	IdentityVerificationMethod string      `json:"IdentityVerificationMethod,omitempty"`
	IdentityVerified           *bool       `json:"IdentityVerified,omitempty"`
	Job                        string      `json:"Job,omitempty"`
	Nationality                string      `json:"Nationality,omitempty"`
	Zone                       string      `json:"Zone,omitempty"`
	Password                   string      `json:"Password,omitempty"`
	CustomizationAttributes    []MemberMap `json:"CustomizationAttributes,omitempty"`
	Salt                       *Salt       `json:"Salt,omitempty"`
	PasswordEncryptTypeEnum    string      `json:"PasswordEncryptTypeEnum,omitempty"`
	IndexedAttribute1          string      `json:"IndexedAttribute1,omitempty"`
	IndexedAttribute2          string      `json:"IndexedAttribute2,omitempty"`
	IndexedAttribute3          string      `json:"IndexedAttribute3,omitempty"`
	IndexedAttribute4          string      `json:"IndexedAttribute4,omitempty"`
	IndexedAttribute5          string      `json:"IndexedAttribute5,omitempty"`
}

// String describes the user without password or salt.
func (u ImportUser) String() string {
	return "ImportUser{UserName:" + u.UserName + " Password:[REDACTED] Salt:[REDACTED]}"
}

// GoString keeps the secrets out of %#v.
func (u ImportUser) GoString() string { return "ciam." + u.String() }

// Format prints String for every verb.
func (u ImportUser) Format(f fmt.State, verb rune) { formatRedacted(f, verb, u) }

// LogValue keeps the secrets out of structured logs.
func (u ImportUser) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user_name", u.UserName),
		slog.String("password", "[REDACTED]"), slog.String("salt", "[REDACTED]"))
}

// secrets lists the user's secret values.
func (u *ImportUser) secrets() []string {
	s := []string{u.Password}
	if u.Salt != nil {
		s = append(s, u.Salt.SaltValue)
		if u.Salt.SaltLocation != nil && u.Salt.SaltLocation.SaltLocationRule != nil {
			s = append(s, u.Salt.SaltLocation.SaltLocationRule.Regex)
		}
	}
	return s
}

// Salt is the salt of an imported password hash. SaltValue is secret.
type Salt struct {
	SaltValue    string        `json:"SaltValue,omitempty"`
	SaltLocation *SaltLocation `json:"SaltLocation,omitempty"`
}

// String never shows the salt value.
func (s Salt) String() string { return "Salt{[REDACTED]}" }

// GoString keeps the salt out of %#v.
func (s Salt) GoString() string { return "ciam." + s.String() }

// Format prints String for every verb.
func (s Salt) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s) }

// LogValue keeps the salt out of structured logs.
func (s Salt) LogValue() slog.Value { return slog.StringValue("[REDACTED]") }

// SaltLocation says where the salt goes: SaltLocationTypeEnum SaltHead,
// SaltTail, or SaltOther with a SaltLocationRule.
type SaltLocation struct {
	SaltLocationTypeEnum string            `json:"SaltLocationTypeEnum,omitempty"`
	SaltLocationRule     *SaltLocationRule `json:"SaltLocationRule,omitempty"`
}

// SaltLocationRule is the expression placing the salt (the example,
// "passwordabc123", suggests it can embed the salt, so it is treated as
// secret too).
type SaltLocationRule struct {
	Regex string `json:"Regex,omitempty"`
}

// CreateApiImportUserJobRequest starts an asynchronous import of Users into
// the user store. Both fields are required; no maximum list size is
// documented.
type CreateApiImportUserJobRequest struct {
	UserStoreId            string       `json:"UserStoreId"`
	DataFlowUserCreateList []ImportUser `json:"DataFlowUserCreateList"`
}

// String describes the request by its size, never its users.
func (r CreateApiImportUserJobRequest) String() string {
	return "CreateApiImportUserJob{UserStoreId:" + r.UserStoreId +
		" Users:" + strconv.Itoa(len(r.DataFlowUserCreateList)) + "}"
}

// GoString keeps the users out of %#v.
func (r CreateApiImportUserJobRequest) GoString() string { return "ciam." + r.String() }

// Format prints String for every verb.
func (r CreateApiImportUserJobRequest) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r) }

// LogValue keeps the users out of structured logs.
func (r CreateApiImportUserJobRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user_store_id", r.UserStoreId),
		slog.Int("users", len(r.DataFlowUserCreateList)))
}

func (r *CreateApiImportUserJobRequest) secrets() []string {
	var s []string
	for i := range r.DataFlowUserCreateList {
		s = append(s, r.DataFlowUserCreateList[i].secrets()...)
	}
	return s
}

// CreateApiImportUserJobResponse holds the created job. On success Job is
// non-nil.
type CreateApiImportUserJobResponse struct {
	Job       *Job   `json:"Job"`
	RequestId string `json:"RequestId"`
}

// Job is an import or export job. Id, Status, Type and CreatedDate (ms) are
// always returned; Format and Location may be null; ErrorDetails and
// FailedUsers may be absent or null.
type Job struct {
	Id           string         `json:"Id"`
	Status       string         `json:"Status"`
	Type         string         `json:"Type"`
	CreatedDate  int64          `json:"CreatedDate"`
	Format       *string        `json:"Format"`
	Location     *string        `json:"Location"`
	ErrorDetails []ErrorDetails `json:"ErrorDetails,omitempty"`
	FailedUsers  []FailedUsers  `json:"FailedUsers,omitempty"`
}

// Finished reports whether the job has ended (COMPLETED or FAILED).
func (j *Job) Finished() bool { return j.Status == JobCompleted || j.Status == JobFailed }

// ErrorDetails is one failure of a job, by user id.
type ErrorDetails struct {
	UserId string `json:"UserId"`
	Error  string `json:"Error"`
}

// FailedUsers is one user a job failed to import. The reference does not
// say which attribute FailedUserIdentification holds (its example is a user
// id).
type FailedUsers struct {
	FailedUserIdentification string `json:"FailedUserIdentification"`
	FailedReason             string `json:"FailedReason"`
}

// ListJobsRequest asks for jobs of a user store; an empty JobIds returns
// every job.
type ListJobsRequest struct {
	UserStoreId string   `json:"UserStoreId"`
	JobIds      []string `json:"JobIds,omitempty"`
}

// ListJobsResponse is the list of jobs.
type ListJobsResponse struct {
	JobSet    []Job  `json:"JobSet"`
	RequestId string `json:"RequestId"`
}

// formatRedacted prints v's String (GoString for %#v), whatever the verb.
func formatRedacted(f fmt.State, verb rune, v interface {
	fmt.Stringer
	fmt.GoStringer
}) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, v.GoString())
		return
	}
	fmt.Fprint(f, v.String())
}
