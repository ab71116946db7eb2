package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"

	"github.com/ciam-import/ciam-import/emulator"
)

// jobAnswer is the Response of CreateApiImportUserJob, read independently
// of the emulator's own types.
type jobAnswer struct {
	Job struct {
		Id, Status, Type string
		CreatedDate      int64
		FailedUsers      []struct{ FailedUserIdentification, FailedReason string }
		ErrorDetails     []struct{ UserId, Error string }
	}
}

// importUsers starts a job over users and returns its id, failing the test
// on an error answer.
func importUsers(t *testing.T, c *common.Client, users ...map[string]any) string {
	t.Helper()
	body, err := send(c, "CreateApiImportUserJob", map[string]any{"UserStoreId": store, "DataFlowUserCreateList": users})
	if err != nil {
		t.Fatalf("create import job: %v", err)
	}
	var resp jobAnswer
	decodeResponse(t, body, &resp)
	return resp.Job.Id
}

// listJobs answers ListJobs for ids (all jobs when none).
func listJobs(t *testing.T, c *common.Client, ids ...string) []emulator.Job {
	t.Helper()
	params := map[string]any{"UserStoreId": store}
	if len(ids) > 0 {
		params["JobIds"] = ids
	}
	body, err := send(c, "ListJobs", params)
	if err != nil {
		t.Fatalf("list jobs: %v", err)
	}
	var resp struct{ JobSet []emulator.Job }
	decodeResponse(t, body, &resp)
	return resp.JobSet
}

// waitJob polls ListJobs until job id is COMPLETED or FAILED, or fails the
// test after a deadline; it returns the finished job and every status seen.
func waitJob(t *testing.T, c *common.Client, id string) (emulator.Job, []string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var seen []string
	for time.Now().Before(deadline) {
		jobs := listJobs(t, c, id)
		if len(jobs) != 1 {
			t.Fatalf("ListJobs %s: %d jobs", id, len(jobs))
		}
		if n := len(seen); n == 0 || seen[n-1] != jobs[0].Status {
			seen = append(seen, jobs[0].Status)
		}
		if s := jobs[0].Status; s == emulator.JobCompleted || s == emulator.JobFailed {
			return jobs[0], seen
		}
		time.Sleep(5 * time.Millisecond) // poll interval, not a wait for the result
	}
	t.Fatalf("job %s not finished after 10s; statuses %v", id, seen)
	return emulator.Job{}, nil
}

// importUser is a valid ImportUser for user n.
func importUser(n int) map[string]any {
	return map[string]any{
		"UserName":          fmt.Sprintf("imp%d", n),
		"PhoneNumber":       fmt.Sprintf("+86-139%08d", n),
		"Email":             fmt.Sprintf("imp%d@example.com", n),
		"IndexedAttribute1": fmt.Sprintf("legacy-%d", n),
	}
}

// with returns m with kv (key, value pairs) set.
func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// verifyPassword asks POST /_emulator/verify-password.
func verifyPassword(t *testing.T, r *emulator.Running, who map[string]any, password string) bool {
	t.Helper()
	body, _ := json.Marshal(with(with(map[string]any{"UserStoreId": store}, "Password", password), flatten(who)...))
	resp, err := http.Post(r.URL+"/_emulator/verify-password", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		OK *bool `json:"ok"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.OK == nil {
		t.Fatalf("verify-password %v: status %d, err %v", who, resp.StatusCode, err)
	}
	return *out.OK
}

func flatten(m map[string]any) []any {
	var kv []any
	for k, v := range m {
		kv = append(kv, k, v)
	}
	return kv
}
