package ciam

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

func TestAPIErrorParsedWhateverTheStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 400, 403, 429, 500, 502, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				answer(w, status, apiError("FailedOperation.EmailAlreadyExists", "该邮箱已被用户绑定。", "req-1"))
			})
			_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
			e := wantError(t, err, Conflict, "FailedOperation.EmailAlreadyExists", true)
			if e.Identifier != IdentEmail || e.Message != "该邮箱已被用户绑定。" || e.RequestID != "req-1" ||
				e.HTTPStatus != status || e.Action != ActionCreateUser {
				t.Errorf("error = %+v", e)
			}
			var te *tcerr.TencentCloudSDKError
			if !errors.As(err, &te) || te.Code != e.Code {
				t.Errorf("SDK error not reachable through Unwrap: %v", err)
			}
			want := "create user: FailedOperation.EmailAlreadyExists: 该邮箱已被用户绑定。 (request req-1)"
			if err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestLegacyErrorShape(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, `{"code":4000,"message":"bad","codeDesc":"InvalidParameter"}`)
	})
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	wantError(t, err, Rejected, "InvalidParameter", true)
}

func TestNoSDKRetry(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		n.Add(1)
		answer(w, 200, apiError("RequestLimitExceeded", "slow down", "r"))
	})
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	wantError(t, err, Retryable, "RequestLimitExceeded", true)
	if n.Load() != 1 {
		t.Errorf("server got %d requests, want exactly 1", n.Load())
	}
}

func TestStatusWithoutAPIBody(t *testing.T) {
	t.Parallel()
	html := "<html><body><h1>502 Bad Gateway</h1></body></html>"
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		lookup      bool
		class       Class
		code        string
	}{
		{"502 html create", 502, "text/html", html, false, InDoubt, CodeHTTPStatus},
		{"502 html lookup", 502, "text/html", html, true, Retryable, CodeHTTPStatus},
		{"500 no error json", 500, "application/json", `{"Response":{"RequestId":"x"}}`, false, InDoubt, CodeHTTPStatus},
		{"504 empty", 504, "text/plain", "", false, InDoubt, CodeHTTPStatus},
		{"429 empty", 429, "text/plain", "", false, Retryable, CodeHTTPStatus},
		{"503 html create", 503, "text/html", html, false, InDoubt, CodeHTTPStatus},
		{"503 html lookup", 503, "text/html", html, true, Retryable, CodeHTTPStatus},
		{"408 create", 408, "text/html", html, false, Retryable, CodeHTTPStatus},
		{"413", 413, "text/html", html, false, Rejected, CodeHTTPStatus},
		{"404", 404, "text/html", html, false, Fatal, CodeHTTPStatus},
		{"401", 401, "application/json", `{}`, true, Fatal, CodeHTTPStatus},
		{"200 not json create", 200, "text/html", html, false, InDoubt, CodeInvalidResponse},
		{"200 not json lookup", 200, "text/html", html, true, Retryable, CodeInvalidResponse},
		{"200 no Response create", 200, "application/json", `{}`, false, InDoubt, CodeInvalidResponse},
		{"200 wrong types create", 200, "application/json", `{"Response":{"User":{"UserId":7}}}`, false, InDoubt, CodeInvalidResponse},
		{"200 null User create", 200, "application/json", `{"Response":{"User":null,"RequestId":"r"}}`, false, InDoubt, CodeInvalidResponse},
		{"200 not json array lookup", 200, "application/json", `[1,2]`, true, Retryable, CodeInvalidResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			c, ctx := newTestClient(t, srv.URL, 0), testContext(t)
			var err error
			if tt.lookup {
				_, err = c.ListUserByProperty(ctx, sampleLookup())
			} else {
				_, err = c.CreateUser(ctx, sampleCreate())
			}
			e := wantError(t, err, tt.class, tt.code, true)
			if e.HTTPStatus != tt.status {
				t.Errorf("HTTPStatus = %d, want %d", e.HTTPStatus, tt.status)
			}
			if tt.body != "" && strings.Contains(e.Error(), tt.body) {
				t.Errorf("error repeats the response body: %v", e)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "3")
		answer(w, 429, apiError("RequestLimitExceeded.FrequentRequest", "too frequent", "r"))
	})
	_, err := newTestClient(t, srv.URL, 0).ListUserByProperty(testContext(t), sampleLookup())
	e := wantError(t, err, Retryable, "RequestLimitExceeded.FrequentRequest", true)
	if e.RetryAfter != 3*time.Second {
		t.Errorf("RetryAfter = %s, want 3s", e.RetryAfter)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{"": 0, "x": 0, "-4": 0, "120": 2 * time.Minute,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestRedirectRefused(t *testing.T) {
	t.Parallel()
	var other atomic.Int32
	target := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		other.Add(1)
		answer(w, 200, `{"Response":{"User":{"UserId":"x"},"RequestId":"r"}}`)
	})
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	})
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	e := wantError(t, err, Fatal, CodeHTTPStatus, true)
	if e.HTTPStatus != http.StatusTemporaryRedirect || other.Load() != 0 {
		t.Errorf("status %d, redirect target got %d requests: %v", e.HTTPStatus, other.Load(), e)
	}
}

// TestConcurrentCalls checks that each call classifies from its own exchange.
func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, body []byte) {
		if strings.Contains(string(body), "bad") {
			answer(w, 200, apiError("InvalidParameterValue", "bad value", "r-bad"))
			return
		}
		answer(w, 200, `{"Response":{"Users":[],"RequestId":"r-ok"}}`)
	})
	c, ctx := newTestClient(t, srv.URL, 0), testContext(t)
	errs := make(chan error, 32)
	for i := range 32 {
		go func() {
			req := sampleLookup()
			if i%2 == 1 {
				req.PropertyValue = "bad"
			}
			_, err := c.ListUserByProperty(ctx, req)
			switch {
			case i%2 == 0 && err != nil:
				errs <- fmt.Errorf("call %d: unexpected %v", i, err)
			case i%2 == 1 && ClassOf(err) != Rejected:
				errs <- fmt.Errorf("call %d: got %v, want rejected", i, err)
			default:
				errs <- nil
			}
		}()
	}
	for range 32 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
