package ciam

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseEndpoint(t *testing.T) {
	t.Parallel()
	good := map[string]endpoint{
		"https://ciam.tencentcloudapi.com":       {"HTTPS", "ciam.tencentcloudapi.com"},
		"https://ciam.intl.tencentcloudapi.com/": {"HTTPS", "ciam.intl.tencentcloudapi.com"},
		"http://127.0.0.1:8080":                  {"HTTP", "127.0.0.1:8080"},
		"http://localhost:9000/prefix/":          {"HTTP", "localhost:9000/prefix/"},
	}
	for raw, want := range good {
		if got, err := parseEndpoint(raw); err != nil || got != want {
			t.Errorf("parseEndpoint(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	bad := []string{"127.0.0.1:8080", "ciam.tencentcloudapi.com", "ftp://host", "http://", "http://h/?a=1",
		"http://h/#f", "https://AKID:hunter2secret@host", "http://[::1", "http://h\x7f"}
	for _, raw := range bad {
		_, err := parseEndpoint(raw)
		if err == nil {
			t.Errorf("parseEndpoint(%q) accepted it", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2secret") {
			t.Errorf("error repeats the URL's password: %v", err)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"endpoint": {Endpoint: "127.0.0.1:8080", SecretID: "id", SecretKey: "k"},
		"timeout":  {Timeout: -time.Second, SecretID: "id", SecretKey: "k"},
	} {
		if _, err := New(cfg); err == nil || !strings.HasPrefix(err.Error(), "new ciam client: ") {
			t.Errorf("%s: New = %v", name, err)
		}
	}
}

func TestEndpointPathPrefix(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		answer(w, 200, `{"Response":{"Users":[],"RequestId":"r"}}`)
	})
	if _, err := newTestClient(t, srv.URL+"/prefix/", 0).ListUserByProperty(testContext(t), sampleLookup()); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.path != "/prefix/" {
		t.Errorf("path = %q", r.path)
	}
	if err := verifyTC3(r, testSecretID, testSecretKey, time.Now()); err != nil {
		t.Errorf("TC3: %v", err)
	}
}

// clearCredentialEnv unsets every variable the SDK's providers read and
// points HOME at an empty directory; t.Setenv restores them.
func clearCredentialEnv(t *testing.T) {
	for _, k := range []string{"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_CREDENTIALS_FILE",
		EnvSessionToken, "TCCLI_PROFILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("HOME", t.TempDir())
}

// signedWith makes one call with cfg and checks the server saw a valid
// signature by id and key.
func signedWith(t *testing.T, cfg Config, id, key string) {
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
	if err := verifyTC3(srv.requests()[0], id, key, time.Now()); err != nil {
		t.Errorf("TC3 with %s: %v", id, err)
	}
}

func writeCredentialsFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv("TENCENTCLOUD_SECRET_ID", "AKIDenv")
	t.Setenv("TENCENTCLOUD_SECRET_KEY", "env-key")
	signedWith(t, Config{}, "AKIDenv", "env-key")
	// Explicit configuration wins over the environment.
	signedWith(t, Config{SecretID: "AKIDcfg", SecretKey: "cfg-key"}, "AKIDcfg", "cfg-key")
}

func TestCredentialsFromProfileFile(t *testing.T) {
	clearCredentialEnv(t)
	path := filepath.Join(t.TempDir(), "creds.ini")
	writeCredentialsFile(t, path, "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n")
	t.Setenv("TENCENTCLOUD_CREDENTIALS_FILE", path)
	signedWith(t, Config{}, "AKIDfile", "file-key")
}

func TestCredentialsFromDefaultProfilePath(t *testing.T) {
	clearCredentialEnv(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	writeCredentialsFile(t, filepath.Join(home, ".tencentcloud", "credentials"),
		"[default]\nsecret_id = AKIDhome\nsecret_key = home-key\n")
	signedWith(t, Config{}, "AKIDhome", "home-key")
}

func TestNoCredentials(t *testing.T) {
	clearCredentialEnv(t)
	if _, err := New(Config{}); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("New without credentials = %v, want ErrNoCredentials", err)
	}

	t.Setenv("TENCENTCLOUD_SECRET_ID", "")
	t.Setenv("TENCENTCLOUD_SECRET_KEY", "")
	if _, err := New(Config{}); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("New with empty env = %v, want ErrNoCredentials", err)
	}
}

func TestCredentialErrorsNameNoSecret(t *testing.T) {
	clearCredentialEnv(t)
	const secret = "topsecretvalue123"
	_, err := New(Config{SecretKey: secret})
	if !errors.Is(err, ErrNoCredentials) || strings.Contains(err.Error(), secret) {
		t.Errorf("half-configured key: %v", err)
	}
	path := filepath.Join(t.TempDir(), "creds.ini")
	writeCredentialsFile(t, path, "[default]\nsecret_id = AKIDfile\nsecret_kee = "+secret+"\n")
	t.Setenv("TENCENTCLOUD_CREDENTIALS_FILE", path)
	_, err = New(Config{})
	if !errors.Is(err, ErrNoCredentials) || strings.Contains(err.Error(), secret) {
		t.Errorf("bad profile file: %v", err)
	}
}
