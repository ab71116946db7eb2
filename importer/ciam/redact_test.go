package ciam

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPasswordNeverFormatted(t *testing.T) {
	t.Parallel()
	req := sampleCreate()
	type job struct {
		Line int
		Req  CreateUserRequest
		Ptr  *CreateUserRequest
	}
	values := []any{req, *req, job{1, *req, req}, []CreateUserRequest{*req}, map[string]*CreateUserRequest{"k": req}}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, testPassword) || strings.Contains(out, "S3cret") {
				t.Errorf("%s of %T shows the password: %s", verb, v, out)
			}
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("create", "req", req, "val", *req)
	if strings.Contains(buf.String(), "S3cret") {
		t.Errorf("slog shows the password: %s", buf.String())
	}
}

// TestPasswordNotInErrors runs CreateUser through every failure path and
// checks no error text, nor its wrapped error, carries the password or the
// request body.
func TestPasswordNotInErrors(t *testing.T) {
	t.Parallel()
	handlers := map[string]func(w http.ResponseWriter, r *http.Request, body []byte){
		"echoed in message": func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			answer(w, 200, apiError("FailedOperation.AttributeFormatError", "password "+testPassword+" is weak", "r"))
		},
		"echoed body in 502": func(w http.ResponseWriter, _ *http.Request, body []byte) {
			w.WriteHeader(502)
			w.Write(body)
		},
		"echoed body in 200": func(w http.ResponseWriter, _ *http.Request, body []byte) {
			w.Write(append([]byte("<html>"), body...))
		},
		"dropped": func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		},
		"hang": hangUntilGone,
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, h)
			_, err := newTestClient(t, srv.URL, 100*time.Millisecond).CreateUser(testContext(t), sampleCreate())
			e := asError(t, err)
			texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), e.Message}
			if e.Err != nil {
				texts = append(texts, e.Err.Error())
			}
			for _, s := range texts {
				if strings.Contains(s, "S3cret") || strings.Contains(s, "UserStoreId") {
					t.Errorf("error text leaks the request: %s", s)
				}
			}
		})
	}
}

func TestPasswordMessageWithheld(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 400, apiError("InvalidParameterValue", "bad password: "+testPassword, "r-9"))
	})
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	e := wantError(t, err, Rejected, "InvalidParameterValue", true)
	if e.Message != withheldMessage || e.RequestID != "r-9" {
		t.Errorf("got %+v", e)
	}
	// The body the service got is unchanged by the redaction.
	var sent bytes.Buffer
	sent.Write(srv.requests()[0].body)
	if !strings.Contains(sent.String(), `"Password":"S3cret\u0026\u003cpass\u003eword!"`) {
		t.Errorf("wire body %s", sent.String())
	}
}
