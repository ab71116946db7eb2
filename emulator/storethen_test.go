package emulator_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// TestStoreThenFail: the user is stored, yet the client sees an error code
// or a gateway's non-JSON 502/504.
func TestStoreThenFail(t *testing.T) {
	tests := []struct {
		name  string
		spec  emulator.FaultSpec
		check func(t *testing.T, err error, st emulator.Stats)
	}{
		{"error", emulator.FaultSpec{StoreThenErrorRate: 1}, func(t *testing.T, err error, st emulator.Stats) {
			if code(t, err) != emulator.CodeInternalError || st.StoredThenErrors != 1 || st.Errors[emulator.CodeInternalError] != 1 {
				t.Errorf("err %v, stats %+v", err, st)
			}
		}},
		{"chosen code", emulator.FaultSpec{StoreThenErrorRate: 1, ErrorCodes: []string{"InternalError.UnknownError"}}, func(t *testing.T, err error, st emulator.Stats) {
			if code(t, err) != "InternalError.UnknownError" {
				t.Errorf("err %v", err)
			}
		}},
		{"5xx", emulator.FaultSpec{StoreThen5xxRate: 1}, func(t *testing.T, err error, st emulator.Stats) {
			if err == nil || st.StoredThen5xx != 1 || st.FaultsInjected != 1 {
				t.Errorf("err %v, stats %+v", err, st)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := start(t, withCreateFaults(tt.spec))
			_, err := send(demoClient(r), ciam.ActionCreateUser, userReq(1))
			tt.check(t, err, r.Server.Stats())
			if users := r.Server.Users(store); len(users) != 1 {
				t.Errorf("%d users stored", len(users))
			}
		})
	}
}

// TestStoreThen5xxIsNotJSON: the body of the 502/504 is a gateway's HTML,
// which the SDK cannot parse, and the status is 502 or 504.
func TestStoreThen5xxIsNotJSON(t *testing.T) {
	r := start(t, withCreateFaults(emulator.FaultSpec{StoreThen5xxRate: 1}))
	statuses := map[int]bool{}
	for i := range 16 {
		status, body := rawCreate(t, r, userReq(i))
		if status != 502 && status != 504 || len(body) == 0 || body[0] == '{' {
			t.Fatalf("status %d body %q", status, body)
		}
		statuses[status] = true
	}
	if len(statuses) != 2 || len(r.Server.Users(store)) != 16 {
		t.Errorf("statuses %v, %d users", statuses, len(r.Server.Users(store)))
	}
}

func TestUpdateFaults(t *testing.T) {
	r, call := seed(t, 1)
	id := r.Server.Users(store)[0].UserId
	if err := r.Server.SetFaults(emulator.Faults{Updates: emulator.FaultSpec{StoreThenErrorRate: 1}}); err != nil {
		t.Fatal(err)
	}
	_, err := call("SetPassword", map[string]any{"UserStoreId": store, "UserId": id, "Password": "changed"})
	if code(t, err) != emulator.CodeInternalError || !verifyPassword(t, r, map[string]any{"UserId": id}, "changed") {
		t.Errorf("SetPassword: %v", err)
	}
}

// recorder is an SDK transport that keeps the last HTTP answer.
type recorder struct {
	status int
	body   []byte
}

func (rec *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	rec.status = resp.StatusCode
	if rec.body, err = io.ReadAll(resp.Body); err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rec.body))
	return resp, nil
}

// rawCreate sends CreateUser through the SDK and returns the HTTP status
// and body it received, whatever the SDK made of them.
func rawCreate(t *testing.T, r *emulator.Running, req ciam.CreateUserRequest) (int, []byte) {
	t.Helper()
	rec := &recorder{}
	c := demoClient(r)
	c.WithHttpTransport(rec)
	_, _ = send(c, ciam.ActionCreateUser, req)
	return rec.status, rec.body
}
