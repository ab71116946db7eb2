package ciam

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// secretsOf are the secret values the sample requests carry.
var secretsOf = []string{testPassword, "S3cret", testHash, testSalt}

func leaks(s string) string {
	for _, secret := range secretsOf {
		if strings.Contains(s, secret) {
			return secret
		}
	}
	return ""
}

func TestNewRequestsNeverFormatSecrets(t *testing.T) {
	t.Parallel()
	imp := sampleImport()
	pw := &SetPasswordRequest{UserStoreId: "s", UserId: "u", Password: testPassword}
	type wrapper struct {
		U ImportUser
		S *Salt
		P SetPasswordRequest
	}
	values := []any{imp, *imp, imp.DataFlowUserCreateList, imp.DataFlowUserCreateList[0], &imp.DataFlowUserCreateList[0],
		*imp.DataFlowUserCreateList[0].Salt, imp.DataFlowUserCreateList[0].Salt, pw, *pw,
		wrapper{imp.DataFlowUserCreateList[0], imp.DataFlowUserCreateList[0].Salt, *pw}}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
			if s := leaks(fmt.Sprintf(verb, v)); s != "" {
				t.Errorf("%s of %T shows %q", verb, v, s)
			}
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "imp", imp, "user", imp.DataFlowUserCreateList[0],
		"salt", imp.DataFlowUserCreateList[0].Salt, "pw", pw)
	if s := leaks(buf.String()); s != "" {
		t.Errorf("slog shows %q: %s", s, buf.String())
	}
}

// TestSecretsNeverInErrors: whatever of its request the service echoes, no
// error of a method carries a secret of that request.
func TestSecretsNeverInErrors(t *testing.T) {
	t.Parallel()
	type call struct {
		secrets []string
		do      func(c *Client) error
	}
	calls := map[string]call{
		"CreateUser": {[]string{testPassword}, func(c *Client) error {
			_, err := c.CreateUser(testContext(t), sampleCreate())
			return err
		}},
		"Import": {[]string{testHash, testSalt}, func(c *Client) error {
			_, err := c.CreateApiImportUserJob(testContext(t), sampleImport())
			return err
		}},
		"SetPassword": {[]string{testPassword}, func(c *Client) error {
			_, err := c.SetPassword(testContext(t), &SetPasswordRequest{UserStoreId: "s", UserId: "u", Password: testPassword})
			return err
		}},
	}
	echoes := map[string]func(w http.ResponseWriter, body []byte, secret string){
		"in rejection": func(w http.ResponseWriter, _ []byte, secret string) {
			answer(w, 200, apiError("InvalidParameterValue", "bad value "+secret, "r"))
		},
		"in 500": func(w http.ResponseWriter, _ []byte, secret string) {
			answer(w, 500, apiError("InternalError", "failed on <"+secret+">", "r"))
		},
		"body in 502": func(w http.ResponseWriter, body []byte, _ string) { w.WriteHeader(502); w.Write(body) },
		"body in 200": func(w http.ResponseWriter, body []byte, _ string) { w.Write(append([]byte("<x>"), body...)) },
	}
	for cname, c := range calls {
		for ename, echo := range echoes {
			for _, secret := range c.secrets {
				t.Run(cname+"/"+ename+"/"+secret[:4], func(t *testing.T) {
					t.Parallel()
					srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, body []byte) { echo(w, body, secret) })
					err := c.do(newTestClient(t, srv.URL, 0))
					e := asError(t, err)
					texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", *e), e.Message}
					if e.Err != nil {
						texts = append(texts, e.Err.Error())
					}
					for _, s := range texts {
						if secret := leaks(s); secret != "" {
							t.Errorf("error shows %q: %s", secret, s)
						}
					}
				})
			}
		}
	}
}

func TestSecretMessageWithheldOnly(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, apiError("InvalidParameterValue", "unsupported salt "+testSalt, "r-7"))
	})
	_, err := newTestClient(t, srv.URL, 0).CreateApiImportUserJob(testContext(t), sampleImport())
	e := wantError(t, err, Rejected, "InvalidParameterValue", true)
	if e.Message != withheldMessage || e.RequestID != "r-7" {
		t.Errorf("got %+v", e)
	}
	// A message without a secret is kept.
	srv2 := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, apiError("InvalidParameterValue", "unsupported encryption", "r-8"))
	})
	_, err = newTestClient(t, srv2.URL, 0).CreateApiImportUserJob(testContext(t), sampleImport())
	if e := asError(t, err); e.Message != "unsupported encryption" {
		t.Errorf("message %q was withheld", e.Message)
	}
}
