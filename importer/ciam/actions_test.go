package ciam

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sampleImport is an import request with a salted SHA1 hash.
func sampleImport() *CreateApiImportUserJobRequest {
	yes := true
	return &CreateApiImportUserJobRequest{UserStoreId: "s", DataFlowUserCreateList: []ImportUser{{
		UserName: "zhangsan", Email: "z@x.com", Birthdate: "2022-10-20", IdentityVerified: &yes,
		Password: testHash, PasswordEncryptTypeEnum: PasswordSHA1,
		Salt:                    &Salt{SaltValue: testSalt, SaltLocation: &SaltLocation{SaltLocationTypeEnum: SaltHead}},
		CustomizationAttributes: []MemberMap{{Name: "k", Value: "v", Type: "STRING"}},
	}, {PhoneNumber: "+86-13800000000"}}}
}

const (
	testHash = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"
	testSalt = "pepper-salt-9f2"
)

// TestNewActionsWireFormat sends every new action and checks its action
// header, signature and exact body.
func TestNewActionsWireFormat(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Header.Get("X-TC-Action") {
		case ActionCreateApiImportUserJob:
			answer(w, 200, `{"Response":{"Job":{"Id":"j1","Status":"PENDING","Type":"IMPORT_USER","CreatedDate":1715156770024,"Format":null,"Location":null},"RequestId":"r1"}}`)
		case ActionListJobs:
			answer(w, 200, `{"Response":{"JobSet":[{"Id":"j1","Status":"COMPLETED","Type":"IMPORT_USER","CreatedDate":1715156770024,"Format":"NDJSON","Location":"http://aa.com/bb.csv","ErrorDetails":[{"UserId":"u9","Error":"bad"}],"FailedUsers":[{"FailedUserIdentification":"zhangsan","FailedReason":"exists"}]}],"RequestId":"r2"}}`)
		case ActionUpdateUser:
			answer(w, 200, `{"Response":{"User":{"UserId":"u1","Nickname":"n2"},"RequestId":"r3"}}`)
		case ActionSetPassword:
			answer(w, 200, `{"Response":{"RequestId":"r4"}}`)
		case ActionListUser:
			answer(w, 200, `{"Response":{"Total":3,"Pageable":{"PageSize":2,"PageNumber":1},"Content":[{"UserId":"a"},{"UserId":"b"}],"RequestId":"r5"}}`)
		}
	})
	c, ctx := newTestClient(t, srv.URL, 0), testContext(t)

	job, err := c.CreateApiImportUserJob(ctx, sampleImport())
	if err != nil || job.Job.Id != "j1" || job.Job.Status != JobPending || job.Job.Format != nil || job.Job.Finished() {
		t.Errorf("CreateApiImportUserJob = %+v, %v", job, err)
	}
	jobs, err := c.ListJobs(ctx, &ListJobsRequest{UserStoreId: "s", JobIds: []string{"j1"}})
	if err != nil || len(jobs.JobSet) != 1 || !jobs.JobSet[0].Finished() || *jobs.JobSet[0].Location != "http://aa.com/bb.csv" ||
		jobs.JobSet[0].FailedUsers[0].FailedReason != "exists" || jobs.JobSet[0].ErrorDetails[0].UserId != "u9" {
		t.Errorf("ListJobs = %+v, %v", jobs, err)
	}
	up, err := c.UpdateUser(ctx, &UpdateUserRequest{UserId: "u1", UserStoreId: "s", Nickname: "n2"})
	if err != nil || up.User.UserId != "u1" || *up.User.Nickname != "n2" {
		t.Errorf("UpdateUser = %+v, %v", up, err)
	}
	pw, err := c.SetPassword(ctx, &SetPasswordRequest{UserStoreId: "s", UserId: "u1", Password: testPassword})
	if err != nil || pw.RequestId != "r4" {
		t.Errorf("SetPassword = %+v, %v", pw, err)
	}
	list, err := c.ListUser(ctx, &ListUserRequest{UserStoreId: "s", Pageable: Pageable{PageSize: 2, PageNumber: 1},
		Filters: []Filter{{Key: FilterCondition, Values: []string{"zhang"}}}})
	if err != nil || list.Total != 3 || len(list.Content) != 2 || list.Pageable.PageSize != 2 {
		t.Errorf("ListUser = %+v, %v", list, err)
	}

	want := []struct{ action, body string }{
		{ActionCreateApiImportUserJob, `{"DataFlowUserCreateList":[{"Birthdate":"2022-10-20","CustomizationAttributes":[{"Name":"k","Type":"STRING","Value":"v"}],"Email":"z@x.com","IdentityVerified":true,"Password":"` + testHash + `","PasswordEncryptTypeEnum":"SHA1","Salt":{"SaltLocation":{"SaltLocationTypeEnum":"HEAD"},"SaltValue":"` + testSalt + `"},"UserName":"zhangsan"},{"PhoneNumber":"+86-13800000000"}],"UserStoreId":"s"}`},
		{ActionListJobs, `{"JobIds":["j1"],"UserStoreId":"s"}`},
		{ActionUpdateUser, `{"Nickname":"n2","UserId":"u1","UserStoreId":"s"}`},
		{ActionSetPassword, `{"Password":` + sdkJSON(testPassword) + `,"UserId":"u1","UserStoreId":"s"}`},
		{ActionListUser, `{"Filters":[{"Key":"condition","Values":["zhang"]}],"Pageable":{"PageNumber":1,"PageSize":2},"UserStoreId":"s"}`},
	}
	got := srv.requests()
	if len(got) != len(want) {
		t.Fatalf("server got %d requests, want %d", len(got), len(want))
	}
	for i, r := range got {
		if a := r.header.Get("X-TC-Action"); a != want[i].action {
			t.Errorf("request %d action %s, want %s", i, a, want[i].action)
		}
		if string(r.body) != want[i].body {
			t.Errorf("%s body\n%s\nwant\n%s", want[i].action, r.body, want[i].body)
		}
		if err := verifyTC3(r, testSecretID, testSecretKey, time.Now()); err != nil {
			t.Errorf("%s: TC3: %v", want[i].action, err)
		}
	}
}

// sdkJSON is s as the SDK's encoder writes it (HTML characters escaped).
func sdkJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestImportJobRefusedLocally(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { answer(w, 200, `{}`) })
	c, ctx := newTestClient(t, srv.URL, 0), testContext(t)
	_, err := c.CreateApiImportUserJob(ctx, &CreateApiImportUserJobRequest{UserStoreId: "s"})
	wantError(t, err, Fatal, CodeInvalidRequest, false)
	for name, call := range map[string]func() error{
		"import": func() error { _, err := c.CreateApiImportUserJob(ctx, nil); return err },
		"jobs":   func() error { _, err := c.ListJobs(ctx, nil); return err },
		"update": func() error { _, err := c.UpdateUser(ctx, nil); return err },
		"setpw":  func() error { _, err := c.SetPassword(ctx, nil); return err },
		"list":   func() error { _, err := c.ListUser(ctx, nil); return err },
	} {
		if e := wantError(t, call(), Fatal, CodeInvalidRequest, false); e.Action == "" {
			t.Errorf("%s: no action in %v", name, e)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

// TestNewActionsClassification runs service answers through each new action
// over HTTP and checks the class the action gets.
func TestNewActionsClassification(t *testing.T) {
	t.Parallel()
	calls := map[string]func(c *Client) error{
		ActionCreateApiImportUserJob: func(c *Client) error {
			_, err := c.CreateApiImportUserJob(testContext(t), sampleImport())
			return err
		},
		ActionListJobs: func(c *Client) error {
			_, err := c.ListJobs(testContext(t), &ListJobsRequest{UserStoreId: "s"})
			return err
		},
		ActionUpdateUser: func(c *Client) error {
			_, err := c.UpdateUser(testContext(t), &UpdateUserRequest{UserStoreId: "s", UserId: "u"})
			return err
		},
		ActionSetPassword: func(c *Client) error {
			_, err := c.SetPassword(testContext(t), &SetPasswordRequest{UserStoreId: "s", UserId: "u", Password: testPassword})
			return err
		},
		ActionCreateUser: func(c *Client) error { _, err := c.CreateUser(testContext(t), sampleCreate()); return err },
	}
	tests := []struct {
		action, code string
		status       int
		class        Class
	}{
		{ActionCreateApiImportUserJob, "InternalError", 200, InDoubt},
		{ActionCreateApiImportUserJob, "FailedOperation.DataFlowTooManyRequests", 200, Retryable},
		{ActionCreateApiImportUserJob, "FailedOperation.ImportUserIsEmpty", 200, Rejected},
		{ActionCreateApiImportUserJob, "", 502, InDoubt},
		{ActionCreateUser, "InternalError.UnknownError", 500, InDoubt},
		{ActionCreateUser, "ResourceInUse", 200, InDoubt},
		{ActionCreateUser, "RequestLimitExceeded.FrequentRequest", 200, Retryable},
		{ActionCreateUser, "ResourceNotFound", 200, Fatal},
		{ActionCreateUser, "", 504, InDoubt},
		{ActionListJobs, "InternalError", 200, Retryable},
		{ActionListJobs, "", 502, Retryable},
		{ActionUpdateUser, "InternalError", 200, Retryable},
		{ActionUpdateUser, "FailedOperation.UserNotFound", 200, Rejected},
		{ActionUpdateUser, "FailedOperation.EmailAlreadyExists", 200, Conflict},
		{ActionUpdateUser, "", 503, Retryable},
		{ActionSetPassword, "ServiceUnavailable", 200, Retryable},
		{ActionSetPassword, "FailedOperation.UserIsFreeze", 200, Rejected},
	}
	for _, tt := range tests {
		t.Run(tt.action+"/"+tt.code+"/"+http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if tt.code == "" {
					w.WriteHeader(tt.status)
					return
				}
				answer(w, tt.status, apiError(tt.code, "m", "rid"))
			})
			err := calls[tt.action](newTestClient(t, srv.URL, 0))
			code := tt.code
			if code == "" {
				code = CodeHTTPStatus
			}
			e := wantError(t, err, tt.class, code, true)
			if e.Action != tt.action {
				t.Errorf("Action = %q", e.Action)
			}
			if e.Busy() != (tt.code == CodeDataFlowTooManyRequests) {
				t.Errorf("Busy = %v", e.Busy())
			}
			if e.Unreachable {
				t.Error("Unreachable set for an answer")
			}
		})
	}
}

func TestFieldSetOnRejection(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, apiError("FailedOperation.OrgNotFound", "组织机构不存在", "rid"))
	})
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	if e := wantError(t, err, Rejected, "FailedOperation.OrgNotFound", true); e.Field != "UserOrg" {
		t.Errorf("Field = %q, want UserOrg", e.Field)
	}
}

func TestSuccessWithoutObject(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, `{"Response":{"RequestId":"empty"}}`)
	})
	c, ctx := newTestClient(t, srv.URL, 0), testContext(t)
	_, err := c.CreateApiImportUserJob(ctx, sampleImport())
	if e := wantError(t, err, InDoubt, CodeInvalidResponse, true); e.RequestID != "empty" || !strings.Contains(e.Message, "Job") {
		t.Errorf("got %v", e)
	}
	_, err = c.UpdateUser(ctx, &UpdateUserRequest{UserStoreId: "s", UserId: "u"})
	wantError(t, err, Retryable, CodeInvalidResponse, true)
}
