package emulator_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

func TestImportJobRequestChecks(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Import.BatchLimit = 3 })
	c := demoClient(r)
	one := []any{importUser(1)}
	tests := []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"no store", map[string]any{"DataFlowUserCreateList": one}, emulator.CodeMissingParameter},
		{"unknown store", map[string]any{"UserStoreId": "nope", "DataFlowUserCreateList": one}, emulator.CodeInvalidUserStore},
		{"no list", map[string]any{"UserStoreId": store}, emulator.CodeMissingParameter},
		{"empty list", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": []any{}}, emulator.CodeImportUserIsEmpty},
		{"over the batch limit", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": []any{
			importUser(1), importUser(2), importUser(3), importUser(4)}}, emulator.CodeInvalidParameterValue},
		{"unknown top-level key", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": one, "Users": 1}, emulator.CodeUnknownParameter},
		{"unknown user key", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": []any{
			with(importUser(1), "UserOrg", []string{"x"})}}, emulator.CodeUnknownParameter},
		{"unknown salt key", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": []any{
			with(importUser(1), "Salt", map[string]any{"Value": "x"})}}, emulator.CodeUnknownParameter},
		{"wrong type", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": []any{
			with(importUser(1), "Birthdate", 1722420973329)}}, emulator.CodeInvalidParameter},
		{"list of the wrong type", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": "x"}, emulator.CodeInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := send(c, "CreateApiImportUserJob", tt.params)
			if got := code(t, err); got != tt.want {
				t.Errorf("code = %q, want %s", got, tt.want)
			}
		})
	}
	if n := len(listJobs(t, c)); n != 0 {
		t.Errorf("%d jobs stored by rejected requests", n)
	}
}

func TestImportJobLifecycle(t *testing.T) {
	now := time.Now().Truncate(time.Millisecond)
	r := start(t, func(c *emulator.Config) {
		c.Now = func() time.Time { return now }
		c.Import.StartDelay = 150 * time.Millisecond
		c.Import.UsersPerSecond = 5
	})
	c := demoClient(r)
	begin := time.Now()
	body, err := send(c, "CreateApiImportUserJob", map[string]any{"UserStoreId": store,
		"DataFlowUserCreateList": []any{importUser(1), importUser(2), importUser(3)}})
	if err != nil {
		t.Fatal(err)
	}
	var resp jobAnswer
	decodeResponse(t, body, &resp)
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(resp.Job.Id) || resp.Job.Status != "PENDING" ||
		resp.Job.Type != "IMPORT_USER" || resp.Job.CreatedDate != now.UnixMilli() {
		t.Fatalf("answer %s", body)
	}
	job, seen := waitJob(t, c, resp.Job.Id)
	if took, least := time.Since(begin), 150*time.Millisecond+2*time.Second/5; took < least {
		t.Errorf("job done in %v, before the start delay and pace allow (%v)", took, least)
	}
	if got := strings.Join(seen, ">"); got != "PENDING>PROCESSING>COMPLETED" && got != "PROCESSING>COMPLETED" {
		t.Errorf("statuses %v", seen)
	}
	if !slices.Contains(seen, "PROCESSING") {
		t.Errorf("PROCESSING never seen: %v", seen)
	}
	if job.FailedUsers == nil || len(job.FailedUsers) != 0 {
		t.Errorf("FailedUsers %v, want []", job.FailedUsers)
	}
	users := r.Server.Users(store)
	if len(users) != 3 || *users[0].UserName != "imp1" || *users[2].IndexedAttribute1 != "legacy-3" {
		t.Fatalf("stored %d users", len(users))
	}
}

// TestImportedUsersAreVisible: an imported user answers every lookup like
// a created one.
func TestImportedUsersAreVisible(t *testing.T) {
	r := start(t)
	c := demoClient(r)
	waitJob(t, c, importUsers(t, c, importUser(7)))
	id := r.Server.Users(store)[0].UserId
	body, err := send(c, ciam.ActionDescribeUserByID, ciam.DescribeUserByIdRequest{UserStoreId: store, UserId: id})
	var byID ciam.DescribeUserByIdResponse
	if decodeResponse(t, body, &byID); err != nil || byID.User == nil || *byID.User.UserName != "imp7" {
		t.Errorf("DescribeUserById: %v %s", err, body)
	}
	body, err = send(c, ciam.ActionDescribeUser, ciam.DescribeUserRequest{UserStoreId: store,
		Pageable: ciam.Pageable{PageSize: 10, PageNumber: 1},
		Filters:  []ciam.QueryUserFilter{{PropertyKey: "indexedAttribute1", PropertyValue: "legacy-7"}}})
	var page ciam.DescribeUserResponse
	if decodeResponse(t, body, &page); err != nil || page.Total != 1 || page.Content[0].UserId != id {
		t.Errorf("DescribeUser: %v %s", err, body)
	}
	body, err = send(c, ciam.ActionListUserByProperty, ciam.ListUserByPropertyRequest{UserStoreId: store,
		PropertyCode: "email", PropertyValue: "imp7@example.com"})
	var list ciam.ListUserByPropertyResponse
	if decodeResponse(t, body, &list); err != nil || len(list.Users) != 1 || list.Users[0].UserId != id {
		t.Errorf("ListUserByProperty: %v %s", err, body)
	}
}

func TestImportUserChecks(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Patterns.Email = regexp.MustCompile(`@example\.com$`) })
	c := demoClient(r)
	createUser(t, c, userReq(1)) // user1, user1@example.com, +86-13800000001
	tests := []struct {
		name   string
		user   map[string]any
		wantID string
		want   string // FailedReason prefix; "" stored
	}{
		{"valid", importUser(1), "imp1", ""},
		{"no identifier", map[string]any{"Nickname": "n", "Password": "pw"}, "", emulator.CodeImportUserIsEmpty},
		{"blank identifiers", map[string]any{"UserName": " ", "QqOpenId": ""}, "", emulator.CodeImportUserIsEmpty},
		{"only a social id", map[string]any{"WechatOpenId": "wx-1"}, "wx-1", ""},
		{"email of a created user", with(importUser(2), "Email", "user1@example.com"), "imp2", emulator.CodeEmailAlreadyExists},
		{"phone of a created user", with(importUser(3), "PhoneNumber", "+86-13800000001"), "imp3", emulator.CodePhoneNumberExists},
		{"user name of an earlier user of the job", with(importUser(4), "UserName", "imp1"), "imp1", emulator.CodeUserNameAlreadyExists},
		{"email of an earlier user of the job", map[string]any{"Email": "imp1@example.com"}, "imp1@example.com", emulator.CodeEmailAlreadyExists},
		{"unknown group", with(importUser(5), "UserGroup", []string{"nogroup"}), "imp5", emulator.CodeUserGroupNotFound},
		{"indexed attribute too long", with(importUser(6), "IndexedAttribute3", strings.Repeat("x", 513)), "imp6", emulator.CodeIndexedAttributeTooLong},
		{"email pattern", with(importUser(7), "Email", "imp7@other.org"), "imp7", emulator.CodeAttributeFormatError},
		{"attribute without a value", with(importUser(8), "CustomizationAttributes", []any{map[string]any{"Name": "k"}}), "imp8", emulator.CodeAttributeFormatError},
		{"verified without a method", with(importUser(9), "IdentityVerified", true), "imp9", emulator.CodeMissingParameter},
		{"nameAndIdCard without a card", with(importUser(10), "IdentityVerified", true, "IdentityVerificationMethod", "nameAndIdCard", "Name", "n"), "imp10", emulator.CodeMissingParameter},
		{"bad birthdate", with(importUser(11), "Birthdate", "20/10/2022"), "imp11", emulator.CodeInvalidParameterValue},
		{"date birthdate", with(importUser(12), "Birthdate", "2022-10-20"), "imp12", ""},
		{"bad MD5", with(importUser(13), "Password", "abc", "PasswordEncryptTypeEnum", "MD5"), "imp13", emulator.CodeInvalidParameterValue},
		{"unknown algorithm", with(importUser(14), "Password", "abc", "PasswordEncryptTypeEnum", "SHA256"), "imp14", emulator.CodeInvalidParameterValue},
		{"lowercase algorithm", with(importUser(18), "Password", md5hex("x"), "PasswordEncryptTypeEnum", "md5"), "imp18", emulator.CodeInvalidParameterValue},
		{"lowercase salt position", with(importUser(19), "Password", md5hex("x"), "PasswordEncryptTypeEnum", "MD5", "Salt", saltAt("head", "s", "")), "imp19", emulator.CodeInvalidParameterValue},
		{"salt on a plaintext", with(importUser(15), "Password", "abc", "Salt", map[string]any{"SaltValue": "s", "SaltLocation": map[string]any{"SaltLocationTypeEnum": "HEAD"}}), "imp15", emulator.CodeInvalidParameterValue},
		{"OTHER without a template", with(importUser(16), "Password", md5hex("x"), "PasswordEncryptTypeEnum", "MD5", "Salt", map[string]any{"SaltValue": "s", "SaltLocation": map[string]any{"SaltLocationTypeEnum": "OTHER", "SaltLocationRule": map[string]any{"Regex": "passwordabc123"}}}), "imp16", emulator.CodeInvalidParameterValue},
		{"salt without a location", with(importUser(17), "Password", md5hex("x"), "PasswordEncryptTypeEnum", "MD5", "Salt", map[string]any{"SaltValue": "s"}), "imp17", emulator.CodeInvalidParameterValue},
	}
	users := make([]map[string]any, len(tests))
	for i, tt := range tests {
		users[i] = tt.user
	}
	job, _ := waitJob(t, c, importUsers(t, c, users...))
	failed := map[string]string{}
	for _, f := range job.FailedUsers {
		failed[f.FailedUserIdentification] += f.FailedReason
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, listed := failed[tt.wantID]
			if tt.want == "" {
				if listed && tt.wantID != "imp1" {
					t.Errorf("stored user listed as failed: %q", reason)
				}
				return
			}
			if !strings.Contains(reason, tt.want+": ") {
				t.Errorf("reason for %q = %q, want it to carry %s", tt.wantID, reason, tt.want)
			}
		})
	}
	stored := map[string]bool{}
	for _, u := range r.Server.Users(store) {
		stored[fmt.Sprint(deref(u.UserName), deref(u.WechatOpenId))] = true
	}
	if len(stored) != 4 || !stored["imp1"] || !stored["wx-1"] || !stored["imp12"] || !stored["user1"] {
		t.Errorf("stored %v", stored)
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func TestImportAtMostTwoUnfinishedJobs(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Import.StartDelay = time.Hour })
	c := demoClient(r)
	first := importUsers(t, c, importUser(1))
	second := importUsers(t, c, importUser(2))
	_, err := send(c, "CreateApiImportUserJob", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": []any{importUser(3)}})
	if got := code(t, err); got != emulator.CodeDataFlowTooManyRequests {
		t.Fatalf("third job: code %q, want %s", got, emulator.CodeDataFlowTooManyRequests)
	}
	jobs := listJobs(t, c)
	if len(jobs) != 2 || jobs[0].Id != first || jobs[1].Id != second || jobs[0].FailedUsers != nil {
		t.Fatalf("ListJobs all: %+v", jobs)
	}
	if got := listJobs(t, c, second, "0000", first); len(got) != 2 || got[0].Id != second || got[1].Id != first {
		t.Errorf("ListJobs by ids: %+v", got)
	}
	if got := r.Server.Jobs(store); len(got) != 2 || got[1].Id != second || got[0].Status != emulator.JobPending {
		t.Errorf("Server.Jobs: %+v", got)
	}
}

func TestImportJobFinishedFreesASlot(t *testing.T) {
	r := start(t)
	c := demoClient(r)
	for i := range 5 { // more than two jobs, one after the other
		waitJob(t, c, importUsers(t, c, importUser(i)))
	}
	if n := len(r.Server.Users(store)); n != 5 {
		t.Errorf("%d users", n)
	}
}

func TestImportListSucceeded(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Import.ListSucceeded = true })
	c := demoClient(r)
	job, _ := waitJob(t, c, importUsers(t, c, importUser(1), importUser(1)))
	if len(job.FailedUsers) != 2 || job.FailedUsers[0].FailedReason != "" ||
		!strings.HasPrefix(job.FailedUsers[1].FailedReason, emulator.CodeUserNameAlreadyExists+": ") {
		t.Errorf("FailedUsers %+v", job.FailedUsers)
	}
}

func TestImportJobFails(t *testing.T) {
	tests := []struct {
		stores string
		want   int
	}{{emulator.FailedStoresNone, 0}, {emulator.FailedStoresSome, 2}, {emulator.FailedStoresAll, 5}, {"", 2}}
	for _, tt := range tests {
		t.Run(tt.stores, func(t *testing.T) {
			r := start(t, func(c *emulator.Config) { c.Import.FailRate = 1; c.Import.FailedStores = tt.stores })
			c := demoClient(r)
			job, _ := waitJob(t, c, importUsers(t, c, importUser(1), importUser(2), importUser(3), importUser(4), importUser(5)))
			if job.Status != emulator.JobFailed || len(job.ErrorDetails) != 1 {
				t.Errorf("job %+v", job)
			}
			if n := len(r.Server.Users(store)); n != tt.want {
				t.Errorf("stored %d users, want %d", n, tt.want)
			}
		})
	}
}

// TestImportJobAnswerLost: the job is stored and runs, but the client sees
// a closed connection.
func TestImportJobAnswerLost(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Faults.ImportJob = emulator.FaultSpec{LoseResponseRate: 1} })
	c := demoClient(r)
	_, err := send(c, "CreateApiImportUserJob", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": []any{importUser(1)}})
	if got := code(t, err); got != networkError {
		t.Fatalf("code %q, want %s", got, networkError)
	}
	jobs := listJobs(t, c)
	if len(jobs) != 1 {
		t.Fatalf("%d jobs", len(jobs))
	}
	waitJob(t, c, jobs[0].Id)
	if n := len(r.Server.Users(store)); n != 1 || r.Server.Stats().LostResponses != 1 {
		t.Errorf("%d users, stats %+v", n, r.Server.Stats())
	}
}
