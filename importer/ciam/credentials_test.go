package ciam

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// tokenSeen makes one call with cfg and returns the X-TC-Token the server
// got, checking the signature by id and key.
func tokenSeen(t *testing.T, cfg Config, id, key string) string {
	t.Helper()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, `{"Response":{"Users":[],"RequestId":"r"}}`)
	})
	cfg.Endpoint = srv.URL
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := c.ListUserByProperty(testContext(t), sampleLookup()); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if err := verifyTC3(r, id, key, time.Now()); err != nil {
		t.Errorf("TC3 with %s: %v", id, err)
	}
	return r.header.Get("X-TC-Token")
}

func TestExplicitToken(t *testing.T) {
	clearCredentialEnv(t)
	if got := tokenSeen(t, Config{SecretID: "AKIDtmp", SecretKey: "tmp-key", Token: "sess-1"}, "AKIDtmp", "tmp-key"); got != "sess-1" {
		t.Errorf("X-TC-Token = %q, want sess-1", got)
	}
	if got := tokenSeen(t, Config{SecretID: "AKIDperm", SecretKey: "perm-key"}, "AKIDperm", "perm-key"); got != "" {
		t.Errorf("X-TC-Token = %q for a permanent key", got)
	}
	if _, err := New(Config{Token: "sess-only"}); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("token without key: %v", err)
	}
}

func TestEnvSessionToken(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv(EnvSecretID, "AKIDenv")
	t.Setenv(EnvSecretKey, "env-key")
	t.Setenv(EnvSessionToken, "env-token")
	if got := tokenSeen(t, Config{}, "AKIDenv", "env-key"); got != "env-token" {
		t.Errorf("X-TC-Token = %q, want env-token", got)
	}
}

// TestEnvTokenNotAttachedToFileKey: a token in the environment belongs to
// the environment's key, not to the credentials file's.
func TestEnvTokenNotAttachedToFileKey(t *testing.T) {
	clearCredentialEnv(t)
	path := filepath.Join(t.TempDir(), "creds.ini")
	writeCredentialsFile(t, path, "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n")
	t.Setenv("TENCENTCLOUD_CREDENTIALS_FILE", path)
	t.Setenv(EnvSessionToken, "stray-token")
	if got := tokenSeen(t, Config{}, "AKIDfile", "file-key"); got != "" {
		t.Errorf("X-TC-Token = %q, want none", got)
	}
}

func TestProfileTCCLI(t *testing.T) {
	clearCredentialEnv(t)
	home := os.Getenv("HOME")
	writeCredentialsFile(t, filepath.Join(home, ".tccli", "prod.credential"),
		`{"secretId":"AKIDprod","secretKey":"prod-key","token":"prod-token"}`)
	// The environment is not consulted when a profile is chosen.
	t.Setenv(EnvSecretID, "AKIDenv")
	t.Setenv(EnvSecretKey, "env-key")
	if got := tokenSeen(t, Config{Profile: "prod"}, "AKIDprod", "prod-key"); got != "prod-token" {
		t.Errorf("X-TC-Token = %q, want prod-token", got)
	}
	if _, err := New(Config{Profile: "missing"}); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("missing profile: %v", err)
	}
}

func TestChooseOneCredentialSource(t *testing.T) {
	clearCredentialEnv(t)
	for name, cfg := range map[string]Config{
		"key and profile":         {SecretID: "a", SecretKey: "b", Profile: "p"},
		"profile and cvm":         {Profile: "p", CVMRole: true},
		"key and cvm role":        {SecretID: "a", SecretKey: "b", CVMRoleName: "r"},
		"role duration":           {SecretID: "a", SecretKey: "b", RoleArn: "qcs::cam::uin/1:roleName/r", RoleDuration: 13 * time.Hour},
		"sts endpoint scheme":     {SecretID: "a", SecretKey: "b", RoleArn: "qcs::cam::uin/1:roleName/r", STSEndpoint: "http://sts"},
		"sts endpoint path":       {SecretID: "a", SecretKey: "b", RoleArn: "qcs::cam::uin/1:roleName/r", STSEndpoint: "sts/x"},
		"role duration too short": {SecretID: "a", SecretKey: "b", RoleArn: "r", RoleDuration: time.Millisecond},
	} {
		if _, err := New(cfg); !errors.Is(err, ErrNoCredentials) {
			t.Errorf("%s: New = %v, want ErrNoCredentials", name, err)
		}
	}
}

// fakeSTS is an STS AssumeRole endpoint over TLS. expiresIn sets the
// ExpiredTime it answers, relative to now.
type fakeSTS struct {
	*httptest.Server
	mu        sync.Mutex
	issued    int
	bodies    []map[string]any
	auth      []string
	expiresIn time.Duration
	fail      string // an error code to answer with, when set
}

func newFakeSTS(t *testing.T, expiresIn time.Duration) *fakeSTS {
	s := &fakeSTS{expiresIn: expiresIn}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	// The SDK's STS client clones http.DefaultTransport and speaks HTTPS
	// only: trust the test server there for this (non-parallel) test.
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	orig := http.DefaultTransport
	tr := orig.(*http.Transport).Clone()
	tr.TLSClientConfig.RootCAs = pool
	http.DefaultTransport = tr
	t.Cleanup(func() { http.DefaultTransport = orig })
	return s
}

func (s *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies = append(s.bodies, body)
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	if r.Header.Get("X-TC-Action") != "AssumeRole" {
		answer(w, 200, apiError("InvalidAction", "not AssumeRole", "sts-x"))
		return
	}
	if s.fail != "" {
		answer(w, 200, apiError(s.fail, "role denied for "+testSecretKey, "sts-f"))
		return
	}
	s.issued++
	exp := time.Now().Add(s.expiresIn)
	answer(w, 200, fmt.Sprintf(`{"Response":{"Credentials":{"Token":"tok-%d","TmpSecretId":"AKIDtmp%d","TmpSecretKey":"tmpkey%d"},"ExpiredTime":%d,"Expiration":%q,"RequestId":"sts-%d"}}`,
		s.issued, s.issued, s.issued, exp.Unix(), exp.UTC().Format(time.RFC3339), s.issued))
}

func (s *fakeSTS) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// roleCalls makes n CIAM calls with an assumed role and returns, per call,
// the token the CIAM server saw; each call's signature must verify with the
// temporary key issued along with its token.
func roleCalls(t *testing.T, sts *fakeSTS, n int) []string {
	t.Helper()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, `{"Response":{"Users":[],"RequestId":"r"}}`)
	})
	c, err := New(Config{Endpoint: srv.URL, SecretID: testSecretID, SecretKey: testSecretKey,
		RoleArn: "qcs::cam::uin/100:roleName/importer", RoleSessionName: "test-session",
		STSEndpoint: sts.URL})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for range n {
		if _, err := c.ListUserByProperty(testContext(t), sampleLookup()); err != nil {
			t.Fatal(err)
		}
	}
	var tokens []string
	for _, r := range srv.requests() {
		tok := r.header.Get("X-TC-Token")
		i := strings.TrimPrefix(tok, "tok-")
		if err := verifyTC3(r, "AKIDtmp"+i, "tmpkey"+i, time.Now()); err != nil {
			t.Errorf("call with %s: TC3: %v", tok, err)
		}
		tokens = append(tokens, tok)
	}
	return tokens
}

func TestRoleArnCredentials(t *testing.T) {
	clearCredentialEnv(t)
	sts := newFakeSTS(t, 2*time.Hour)
	got := roleCalls(t, sts, 3)
	if strings.Join(got, ",") != "tok-1,tok-1,tok-1" || sts.count() != 1 {
		t.Errorf("tokens %v after %d STS calls; want tok-1 thrice from one STS call", got, sts.count())
	}
	body, auth := sts.bodies[0], sts.auth[0]
	if body["RoleArn"] != "qcs::cam::uin/100:roleName/importer" || body["RoleSessionName"] != "test-session" ||
		body["DurationSeconds"] != float64(7200) {
		t.Errorf("AssumeRole body %v", body)
	}
	if !strings.Contains(auth, "Credential="+testSecretID+"/") || !strings.Contains(auth, "/sts/tc3_request") {
		t.Errorf("AssumeRole not signed with the source key for sts: %s", auth)
	}
}

// TestRoleArnRefresh: credentials the SDK deems due for renewal (it renews
// once a tenth of the lifetime has passed) are renewed before the next
// request is signed, and that request carries the new token.
func TestRoleArnRefresh(t *testing.T) {
	clearCredentialEnv(t)
	// ExpiredTime - 9/10 of 7200 s lies in the past: due at once.
	sts := newFakeSTS(t, 6480*time.Second-time.Second)
	got := roleCalls(t, sts, 2)
	if strings.Join(got, ",") != "tok-2,tok-3" || sts.count() != 3 {
		t.Errorf("tokens %v after %d STS calls; want tok-2,tok-3 after 3", got, sts.count())
	}
}

func TestRoleArnFailureNamesNoSecret(t *testing.T) {
	clearCredentialEnv(t)
	sts := newFakeSTS(t, time.Hour)
	sts.fail = "AuthFailure.SecretIdNotFound"
	_, err := New(Config{SecretID: testSecretID, SecretKey: testSecretKey, RoleArn: "r", STSEndpoint: sts.URL})
	if !errors.Is(err, ErrNoCredentials) || strings.Contains(err.Error(), testSecretKey) {
		t.Errorf("New = %v", err)
	}
	if err != nil && !strings.Contains(err.Error(), "AuthFailure.SecretIdNotFound: [message withheld") {
		t.Errorf("error does not name the code, withholding the message: %v", err)
	}
}
