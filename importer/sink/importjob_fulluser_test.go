package sink

import (
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/mapping"
)

// The import job's full user (issue 20): rows with any one of the nine
// identifiers, ImportUser's own fields, plaintext through the import job,
// and Job.ErrorDetails confirmed by lookup.

// wechatRow is a hashed row whose only identifier is a WeChat open id.
func wechatRow(key, openID string) *mapping.User {
	u := hashedUser()
	u.Key, u.UserName, u.Email, u.PhoneNumber = key, "", "", ""
	u.WechatOpenId = openID
	return u
}

func TestBuildImportUserFullUser(t *testing.T) {
	yes := true
	u := fixture.User("K1")
	u.PlaintextEnum = "PLAINTEXT"
	u.WechatOpenId, u.WechatUnionId, u.AlipayUserId = "wo", "wu", "ali"
	u.QqOpenId, u.QqUnionId, u.WeComUserId = "qo", "qu", "wc"
	u.Gender, u.Name, u.Description, u.Locale = "MALE", "张三", "d", "l"
	u.Job, u.Nationality, u.Zone, u.ResidentIdentityCard = "j", "n", "z", "110101199003070000"
	u.IdentityVerificationMethod, u.IdentityVerified = "nameAndIdCard", &yes
	iu := buildImportUser(u)
	got := []string{iu.WechatOpenId, iu.WechatUnionId, iu.AlipayUserId, iu.QqOpenId, iu.QqUnionId, iu.WeComUserId,
		iu.Gender, iu.Name, iu.Description, iu.Locale, iu.Job, iu.Nationality, iu.Zone, iu.ResidentIdentityCard, iu.IdentityVerificationMethod}
	want := []string{"wo", "wu", "ali", "qo", "qu", "wc", "MALE", "张三", "d", "l", "j", "n", "z", "110101199003070000", "nameAndIdCard"}
	if !slices.Equal(got, want) || iu.IdentityVerified == nil || !*iu.IdentityVerified {
		t.Errorf("ImportUser fields %v (verified %v), want %v (true)", got, iu.IdentityVerified, want)
	}
	if iu.Password != u.Password.Reveal() || iu.PasswordEncryptTypeEnum != "PLAINTEXT" || iu.Salt != nil {
		t.Errorf("plaintext via the job: Password sent %v, enum %q, salt %v; want the plaintext, PLAINTEXT, no salt",
			iu.Password == u.Password.Reveal(), iu.PasswordEncryptTypeEnum, iu.Salt)
	}
}

// The OTHER salt rule goes to the service exactly as the operator wrote
// it: its syntax is undefined by the reference.
func TestBuildImportUserOtherSaltVerbatim(t *testing.T) {
	u := hashedUser()
	const rule = "  {salt}::{password} "
	u.PasswordHash.Salt, u.PasswordHash.SaltPosition, u.PasswordHash.SaltRegex = mapping.NewSecret("pepper"), mapping.SaltOther, rule
	iu := buildImportUser(u)
	if iu.Salt == nil || iu.Salt.SaltLocation.SaltLocationTypeEnum != "OTHER" || iu.Salt.SaltLocation.SaltLocationRule == nil ||
		iu.Salt.SaltLocation.SaltLocationRule.Regex != rule {
		t.Errorf("salt location %+v, want OTHER with the rule as written", iu.Salt.SaltLocation)
	}
	if iu.Password != u.PasswordHash.Hash.Reveal() || iu.PasswordEncryptTypeEnum != mapping.HashMD5 {
		t.Errorf("a hashed row sent enum %q", iu.PasswordEncryptTypeEnum)
	}
}

// A row whose only identifier is a WeChat id is looked up by it (never by
// an empty user name, email or phone, which would match users without
// one) and settled by what the lookup finds.
func TestImportJobWechatOnlyRow(t *testing.T) {
	a, b, c := wechatRow("A1", "o6_aaa"), wechatRow("B2", "o6_bbb"), wechatRow("C3", "o6_ccc")
	c.WeComUserId = "wecom-c"
	theirs := ciam.User{UserId: "uid-x", WechatOpenId: ptrTo("o6_bbb"), Email: ptrTo("someone@example.com")}
	ours := ciam.User{UserId: "uid-a", WechatOpenId: ptrTo("o6_aaa")}
	otherWeCom := ciam.User{UserId: "uid-y", WechatOpenId: ptrTo("o6_ccc"), WeComUserId: ptrTo("wecom-other")}
	r := newJobRun(0, ours, theirs, otherWeCom)
	r.api.Script(ciam.ActionCreateApiImportUserJob, ciamtest.Answer{Job: &ciam.Job{Id: "job-1"}})
	r.api.Script(ciam.ActionListJobs, completed("job-1"))
	got := r.serve(t, a, b, c)
	checkResult(t, 0, got[0], want{outcome: "created"})
	checkResult(t, 1, got[1], want{outcome: "conflict", ident: "wechat_open_id", code: "LocalLookup.AlreadyExists"})
	checkResult(t, 2, got[2], want{outcome: "conflict", ident: "wechat_open_id", code: "LocalLookup.AlreadyExists"})
	var lookups []string
	for _, l := range r.api.Lookups() {
		if !strings.HasPrefix(l, "DescribeUser:lastModifiedDate") {
			lookups = append(lookups, l)
		}
	}
	if w := []string{"DescribeUser:wechatOpenId=o6_aaa", "DescribeUser:wechatOpenId=o6_bbb", "DescribeUser:wechatOpenId=o6_ccc"}; !slices.Equal(lookups, w) {
		t.Errorf("lookups %v, want %v", lookups, w)
	}
	r.api.CheckNoLeftovers(t)
}

func TestImportJobErrorDetailsConfirmedByLookup(t *testing.T) {
	a, b := hashedRow("A1"), hashedRow("B2")
	const zh = "用户导入失败"
	tests := []struct {
		name    string
		status  string
		users   []ciam.User
		details []ciam.ErrorDetails
		want    []want
	}{
		{
			name:    "named, our user exists: created",
			users:   []ciam.User{fixture.CIAMUserOf("uid-a", a), fixture.CIAMUserOf("uid-b", b)},
			details: []ciam.ErrorDetails{{UserId: a.UserName, Error: zh}},
			want:    []want{{outcome: "created"}, {outcome: "created"}},
		},
		{
			name:    "named, no user: rejected with the text verbatim",
			users:   []ciam.User{fixture.CIAMUserOf("uid-b", b)},
			details: []ciam.ErrorDetails{{UserId: a.Email, Error: "InternalError: " + zh}},
			want:    []want{{outcome: "rejected", code: codeFailedUser, message: "InternalError: " + zh + " (import job job-1 listed this row in ErrorDetails)"}, {outcome: "created"}},
		},
		{
			name:    "job-wide entry on a FAILED job: shown on every row not found, secrets removed",
			status:  ciam.JobFailed,
			users:   []ciam.User{fixture.CIAMUserOf("uid-b", b)},
			details: []ciam.ErrorDetails{{Error: "batch refused near " + a.PasswordHash.Hash.Reveal()}},
			want:    []want{{outcome: "retryable", code: "ImportJob.Failed", message: "ErrorDetails: batch refused near [REDACTED]"}, {outcome: "created"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newJobRun(0, tt.users...)
			status := ciam.JobCompleted
			if tt.status != "" {
				status = tt.status
			}
			r.api.Script(ciam.ActionCreateApiImportUserJob, ciamtest.Answer{Job: &ciam.Job{Id: "job-1"}})
			r.api.Script(ciam.ActionListJobs, ciamtest.Answer{Jobs: []ciam.Job{{Id: "job-1", Status: status,
				Type: ciam.JobTypeImportUser, ErrorDetails: tt.details}}})
			got := r.serve(t, a, b)
			for i := range got {
				checkResult(t, i, got[i], tt.want[i])
				if strings.Contains(got[i].Entry.Message, a.PasswordHash.Hash.Reveal()) {
					t.Errorf("row %d: the hash is in the message", i)
				}
			}
			if len(r.halted) > 0 {
				t.Errorf("halted: %v", r.halted)
			}
			r.api.CheckNoLeftovers(t)
		})
	}
}

func ptrTo(s string) *string { return &s }
