package ciam

import (
	"net/http"
	"strings"
	"testing"
)

// TestNotAPI: answers that are not the API's (a web server on a wrong port,
// a proxy's error page) are flagged NotAPI with the endpoint; the API's own
// answers, and the statuses that mean "slow down", are not.
func TestNotAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		ctype, body string
		notAPI      bool
	}{
		{"HTML 200", 200, "text/html", "<html>welcome to nginx</html>", true},
		{"JSON 200 without Response", 200, "application/json", `{"ok":true}`, true},
		{"HTML 502", 502, "text/html", "<html>bad gateway</html>", true},
		{"empty 500", 500, "", "", true},
		{"HTML 404", 404, "text/html", "<html>not found</html>", true},
		{"bare 429", 429, "text/plain", "slow down", false},
		{"API error", 200, "application/json", apiError("InternalError", "boom", "r1"), false},
		{"API success without a User", 200, "application/json", `{"Response":{"RequestId":"r2"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
			e := asError(t, err)
			if e.NotAPI != tt.notAPI {
				t.Fatalf("NotAPI = %v, want %v: %v", e.NotAPI, tt.notAPI, e)
			}
			if tt.notAPI && (e.Endpoint != srv.URL) {
				t.Errorf("Endpoint = %q, want %q", e.Endpoint, srv.URL)
			}
		})
	}
}

// TestServerWordsBounded: a code or message of hundreds of KiB is cut to a
// few KiB, marked as cut, in the error and in the SDK error it wraps.
func TestServerWordsBounded(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("é", 200<<10)
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, apiError("InvalidParameter."+strings.Repeat("X", 100<<10), huge, "r1"))
	})
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	e := asError(t, err)
	if len(e.Code) > maxCodeBytes+64 || len(e.Message) > maxMessageBytes+64 {
		t.Fatalf("code %d bytes, message %d bytes: not bounded", len(e.Code), len(e.Message))
	}
	for _, s := range []string{e.Code, e.Message, e.Err.Error(), e.Error()} {
		if !strings.Contains(s, "[cut: ") {
			t.Errorf("not marked as cut: %.80q", s)
		}
		if len(s) > 2*maxMessageBytes {
			t.Errorf("%d bytes kept", len(s))
		}
	}
	if e.Class != Rejected {
		t.Errorf("class %v, want the code's class Rejected", e.Class)
	}
}
