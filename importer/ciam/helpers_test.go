package ciam

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testSecretID  = "AKIDtestid"
	testSecretKey = "test-secret-key-do-not-leak"
	testPassword  = "S3cret&<pass>word!"
)

// recorded is one request as the fake server received it.
type recorded struct {
	method, host, path string
	header             http.Header
	body               []byte
}

// fakeCIAM is an httptest server that records requests and answers with
// handle.
type fakeCIAM struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

// newFake starts a server; handle gets the already-read body.
func newFake(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, body []byte)) *fakeCIAM {
	t.Helper()
	f := &fakeCIAM{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{r.Method, r.Host, r.URL.Path, r.Header.Clone(), body})
		f.mu.Unlock()
		handle(w, r, body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCIAM) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// answer writes a JSON body with status.
func answer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// apiError is the API 3.0 error shape.
func apiError(code, message, requestID string) string {
	return fmt.Sprintf(`{"Response":{"Error":{"Code":%q,"Message":%q},"RequestId":%q}}`, code, message, requestID)
}

// newTestClient returns a client for endpoint with test credentials.
func newTestClient(t *testing.T, endpoint string, timeout time.Duration) *Client {
	t.Helper()
	c, err := New(Config{Endpoint: endpoint, SecretID: testSecretID, SecretKey: testSecretKey, Timeout: timeout})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// sampleCreate is a CreateUser request with only the required fields.
func sampleCreate() *CreateUserRequest {
	return &CreateUserRequest{
		UserStoreId: "d733b65803284091a998ab707d820726",
		PhoneNumber: "+86-19877755556",
		Email:       "testuser006@test.com",
		Password:    testPassword,
		UserName:    "testuser006",
	}
}

func sampleLookup() *ListUserByPropertyRequest {
	return &ListUserByPropertyRequest{UserStoreId: "store", PropertyCode: PropertyEmail, PropertyValue: "a@b.com"}
}

// asError asserts err is a *Error.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *ciam.Error", err, err)
	}
	return e
}

// wantError checks the essentials of a classified error.
func wantError(t *testing.T, err error, class Class, code string, sent bool) *Error {
	t.Helper()
	e := asError(t, err)
	if e.Class != class || e.Code != code || e.Sent != sent {
		t.Fatalf("got class=%v code=%s sent=%v (%v); want class=%v code=%s sent=%v",
			e.Class, e.Code, e.Sent, e, class, code, sent)
	}
	return e
}

// verifyTC3 recomputes the TC3-HMAC-SHA256 signature of a received request,
// independently of the SDK, following the published algorithm.
func verifyTC3(r recorded, secretID, secretKey string, now time.Time) error {
	const algo = "TC3-HMAC-SHA256"
	auth, ok := strings.CutPrefix(r.header.Get("Authorization"), algo+" ")
	if !ok {
		return fmt.Errorf("authorization %q: not %s", r.header.Get("Authorization"), algo)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(auth, ", ") {
		k, v, _ := strings.Cut(part, "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 4 || scope[0] != secretID || scope[2] != "ciam" || scope[3] != "tc3_request" {
		return fmt.Errorf("credential %q", fields["Credential"])
	}
	if fields["SignedHeaders"] != "content-type;host" {
		return fmt.Errorf("signed headers %q", fields["SignedHeaders"])
	}
	ts := r.header.Get("X-TC-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q: %v", ts, err)
	}
	signedAt := time.Unix(sec, 0).UTC()
	if d := now.Sub(signedAt); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("timestamp %s is %s away", signedAt, d)
	}
	date := signedAt.Format("2006-01-02")
	if scope[1] != date {
		return fmt.Errorf("scope date %s, timestamp date %s", scope[1], date)
	}
	canonical := strings.Join([]string{r.method, "/", "",
		"content-type:" + r.header.Get("Content-Type") + "\nhost:" + r.host + "\n",
		"content-type;host", sha256Hex(r.body)}, "\n")
	toSign := strings.Join([]string{algo, ts, date + "/ciam/tc3_request", sha256Hex([]byte(canonical))}, "\n")
	key := hmacSHA256([]byte("TC3"+secretKey), date)
	key = hmacSHA256(key, "ciam")
	key = hmacSHA256(key, "tc3_request")
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return errors.New("signature mismatch")
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// testContext is a context that ends with the test.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}
