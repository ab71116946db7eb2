package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func wireServer(t *testing.T) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(New(Config{SecretID: DemoSecretID, SecretKey: DemoSecretKey, UserStores: []string{DemoUserStore}}))
	t.Cleanup(ts.Close)
	return ts
}

// signed builds a POST signed like the SDK does, over signHost. It is sent
// to url, whose host is what the server sees unless signHost is forced.
func signed(t *testing.T, url, signHost, action string, body []byte, key string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-TC-Action", action)
	req.Header.Set("X-TC-Version", ciam.APIVersion)
	req.Header.Set("X-TC-Region", "ap-guangzhou")
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	if signHost == "" {
		signHost = req.URL.Host
	}
	c := credential{secretID: DemoSecretID, service: ciam.Service, signedHeaders: []string{"content-type", "host"}}
	req.Host = signHost
	sig := signatureFor(key, c, req, body, ts, req.Host)
	req.Host = ""
	date := time.Unix(ts, 0).UTC().Format(time.DateOnly)
	req.Header.Set("Authorization", fmt.Sprintf("TC3-HMAC-SHA256 Credential=%s/%s/ciam/tc3_request, SignedHeaders=content-type;host, Signature=%s", DemoSecretID, date, sig))
	return req
}

// roundTrip sends req and returns the HTTP status and the decoded error
// object; it checks the envelope shape every answer must have.
func roundTrip(t *testing.T, req *http.Request) (int, ciam.ErrorBody) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Response struct {
			Error     *ciam.ErrorBody
			RequestId string
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("decode answer: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if !requestIDPattern.MatchString(env.Response.RequestId) {
		t.Errorf("RequestId %q is not a dashed UUID", env.Response.RequestId)
	}
	if env.Response.Error == nil {
		return resp.StatusCode, ciam.ErrorBody{}
	}
	return resp.StatusCode, *env.Response.Error
}

func TestWireErrors(t *testing.T) {
	ts := wireServer(t)
	body := []byte(`{"UserStoreId":"` + DemoUserStore + `","UserId":"x"}`)
	good := func() *http.Request { return signed(t, ts.URL, "", ciam.ActionDescribeUserByID, body, DemoSecretKey) }
	edit := func(f func(r *http.Request)) *http.Request { r := good(); f(r); return r }
	tests := []struct {
		name string
		req  *http.Request
		want string
	}{
		{"valid", good(), ""},
		{"signed for another host", signed(t, ts.URL, "ciam.tencentcloudapi.com", ciam.ActionDescribeUserByID, body, DemoSecretKey), CodeSignatureFailure},
		{"wrong key", signed(t, ts.URL, "", ciam.ActionDescribeUserByID, body, "x"), CodeSignatureFailure},
		{"no Authorization", edit(func(r *http.Request) { r.Header.Del("Authorization") }), CodeInvalidAuthorization},
		{"garbage Authorization", edit(func(r *http.Request) { r.Header.Set("Authorization", "garbage") }), CodeInvalidAuthorization},
		{"v1 style Authorization", edit(func(r *http.Request) { r.Header.Set("Authorization", "HmacSHA256 abc") }), CodeInvalidAuthorization},
		{"no timestamp", edit(func(r *http.Request) { r.Header.Del("X-TC-Timestamp") }), CodeMissingParameter},
		{"bad timestamp", edit(func(r *http.Request) { r.Header.Set("X-TC-Timestamp", "soon") }), CodeInvalidParameter},
		{"old timestamp", edit(func(r *http.Request) { r.Header.Set("X-TC-Timestamp", "1551113065") }), CodeSignatureExpire},
		{"token", edit(func(r *http.Request) { r.Header.Set("X-TC-Token", "t") }), CodeTokenFailure},
		{"no action", edit(func(r *http.Request) { r.Header.Del("X-TC-Action") }), CodeMissingParameter},
		{"no version", edit(func(r *http.Request) { r.Header.Del("X-TC-Version") }), CodeMissingParameter},
		{"text body", edit(func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }), CodeUnsupportedOperation},
		{"PUT", edit(func(r *http.Request) { r.Method = http.MethodPut }), CodeUnsupportedProtocol},
		{"GET", edit(func(r *http.Request) { r.Method = http.MethodGet }), CodeUnsupportedOperation},
		{"not JSON", signed(t, ts.URL, "", ciam.ActionDescribeUserByID, []byte(`[1]`), DemoSecretKey), CodeInvalidParameter},
		{"too big", signed(t, ts.URL, "", ciam.ActionDescribeUserByID, bytes.Repeat([]byte(" "), maxBodyBytes+1), DemoSecretKey), CodeRequestSizeLimitExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, e := roundTrip(t, tt.req)
			if status != http.StatusOK || e.Code != tt.want {
				t.Errorf("status %d code %q (%s), want 200 %q", status, e.Code, e.Message, tt.want)
			}
		})
	}
}

// TestExtraSignedHeaders: SignedHeaders may list more than content-type and
// host, as the current signature documentation does with x-tc-action.
func TestExtraSignedHeaders(t *testing.T) {
	ts := wireServer(t)
	body := []byte(`{"UserStoreId":"` + DemoUserStore + `","UserId":"x"}`)
	for _, tamper := range []bool{false, true} {
		req := signed(t, ts.URL, "", ciam.ActionDescribeUserByID, body, DemoSecretKey)
		stamp, _ := strconv.ParseInt(req.Header.Get("X-TC-Timestamp"), 10, 64)
		c := credential{secretID: DemoSecretID, service: ciam.Service, signedHeaders: []string{"content-type", "host", "x-tc-action"}}
		req.Host = req.URL.Host
		sig := signatureFor(DemoSecretKey, c, req, body, stamp, req.Host)
		date := time.Unix(stamp, 0).UTC().Format(time.DateOnly)
		req.Header.Set("Authorization", fmt.Sprintf("TC3-HMAC-SHA256 Credential=%s/%s/ciam/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=%s", DemoSecretID, date, sig))
		want := ""
		if tamper {
			req.Header.Set("X-TC-Action", ciam.ActionDescribeUser) // signed value changed
			want = CodeSignatureFailure
		}
		if _, e := roundTrip(t, req); e.Code != want {
			t.Errorf("tamper=%v: code %q, want %q", tamper, e.Code, want)
		}
	}
}

func TestDebugEndpoints(t *testing.T) {
	ts := wireServer(t)
	body := []byte(`{"UserStoreId":"` + DemoUserStore + `","UserName":"u","Email":"e@x","PhoneNumber":"1","Password":"p"}`)
	if _, e := roundTrip(t, signed(t, ts.URL, "", ciam.ActionCreateUser, body, DemoSecretKey)); e.Code != "" {
		t.Fatalf("create: %+v", e)
	}
	get := func(path string, v any) int {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_ = json.NewDecoder(resp.Body).Decode(v)
		return resp.StatusCode
	}
	var users struct{ Users []ciam.User }
	if get("/_emulator/users?store="+DemoUserStore, &users); len(users.Users) != 1 || *users.Users[0].Email != "e@x" {
		t.Errorf("users = %+v", users)
	}
	var stats struct {
		Created, Admitted    int64
		MaxAdmittedPerSecond map[string]int
	}
	if get("/_emulator/stats", &stats); stats.Created != 1 || stats.MaxAdmittedPerSecond[ciam.ActionCreateUser] != 1 {
		t.Errorf("stats = %+v", stats)
	}
	var calls struct{ CreateCalls int }
	if get("/_emulator/calls?identity=e@x", &calls); calls.CreateCalls != 1 {
		t.Errorf("calls = %+v", calls)
	}
	var admitted struct{ Admitted []time.Time }
	if get("/_emulator/admitted?action=CreateUser", &admitted); len(admitted.Admitted) != 1 {
		t.Errorf("admitted = %+v", admitted)
	}
	if status := get("/_emulator/users?store=nope", &users); status != http.StatusNotFound {
		t.Errorf("unknown store: status %d", status)
	}
}
