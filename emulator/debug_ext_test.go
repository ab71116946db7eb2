package emulator_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

func TestDebugJobsAndStats(t *testing.T) {
	r := start(t, withCreateFaults(emulator.FaultSpec{StoreThenErrorRate: 1}))
	c := demoClient(r)
	_, _ = send(c, ciam.ActionCreateUser, userReq(1))
	id := importUsers(t, c, importUser(2))
	waitJob(t, c, id)
	var jobs struct{ Jobs []emulator.Job }
	if getJSON(t, r.URL+"/_emulator/jobs?store="+store, &jobs); len(jobs.Jobs) != 1 || jobs.Jobs[0].Id != id {
		t.Errorf("jobs %+v", jobs)
	}
	var st emulator.Stats
	getJSON(t, r.URL+"/_emulator/stats", &st)
	if st.StoredThenErrors != 1 || st.Jobs != 1 || st.Created != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestVerifyPasswordErrors(t *testing.T) {
	r := start(t)
	tests := []struct {
		name string
		body string
		want int
	}{
		{"not JSON", "{", http.StatusBadRequest},
		{"unknown store", `{"UserStoreId":"x","UserName":"a","Password":"p"}`, http.StatusNotFound},
		{"unknown user", `{"UserStoreId":"` + store + `","UserName":"nobody","Password":"p"}`, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(r.URL+"/_emulator/verify-password", "application/json", bytes.NewReader([]byte(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}
