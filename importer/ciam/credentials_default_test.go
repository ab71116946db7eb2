package ciam

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The default order refuses what would send a wrong key silently, and its
// errors say where they looked and what to set, never a secret.
func TestDefaultCredentialRefusals(t *testing.T) {
	const secret = "s3cretKeyValue"
	for _, tc := range []struct {
		name  string
		env   map[string]string
		file  string // credentials file content at $TENCENTCLOUD_CREDENTIALS_FILE
		want  []string
		noEnv bool // no TENCENTCLOUD_CREDENTIALS_FILE
	}{
		{name: "only the id", env: map[string]string{EnvSecretID: "AKIDenv"},
			file: "[default]\nsecret_id = AKIDother\nsecret_key = other-key\n",
			want: []string{EnvSecretID + " is set but " + EnvSecretKey + " is not"}},
		{name: "only the key", env: map[string]string{EnvSecretKey: secret},
			file: "[default]\nsecret_id = AKIDother\nsecret_key = other-key\n",
			want: []string{EnvSecretKey + " is set but " + EnvSecretID + " is not"}},
		{name: "trailing newline in the env key", env: map[string]string{EnvSecretID: "AKIDenv", EnvSecretKey: secret + "\n"},
			want: []string{"secret key from the environment contains whitespace"}},
		{name: "quoted id in the env", env: map[string]string{EnvSecretID: `"AKIDenv"`, EnvSecretKey: secret},
			want: []string{"secret id from the environment contains whitespace, a newline or quotes"}},
		{name: "quoted key in the file", file: "[default]\nsecret_id = AKIDfile\nsecret_key = \"" + secret + "\"\n",
			want: []string{"secret key from credentials file", "quotes"}},
		{name: "missing file named by the env", want: []string{"creds.ini (from " + EnvCredentialsFile + ") does not exist"}},
		{name: "no file, no env", noEnv: true,
			want: []string{"looked in the environment", ".tencentcloud/credentials (no such file)", "set " + EnvSecretID, "--profile"}},
		{name: "file without keys", file: "[default]\nsecret_idd = x\n",
			want: []string{"read credentials file ", "creds.ini", "expected [default] with secret_id and secret_key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearCredentialEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			path := filepath.Join(t.TempDir(), "creds.ini")
			if tc.file != "" {
				writeCredentialsFile(t, path, tc.file)
			}
			if !tc.noEnv {
				t.Setenv(EnvCredentialsFile, path)
			}
			_, err := New(Config{})
			if !errors.Is(err, ErrNoCredentials) {
				t.Fatalf("New = %v, want ErrNoCredentials", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "other-key") {
				t.Errorf("error names a secret: %v", err)
			}
		})
	}
}

// A credentials file group or others can read is used, with a warning
// naming the file and chmod 600; a private one without.
func TestCredentialsFileModeWarning(t *testing.T) {
	for _, tc := range []struct {
		mode os.FileMode
		warn bool
	}{{0o600, false}, {0o400, false}, {0o640, true}, {0o604, true}} {
		clearCredentialEnv(t)
		path := filepath.Join(t.TempDir(), "creds.ini")
		writeCredentialsFile(t, path, "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n")
		if err := os.Chmod(path, tc.mode); err != nil {
			t.Fatal(err)
		}
		t.Setenv(EnvCredentialsFile, path)
		var warned []string
		signedWith(t, Config{Warn: func(m string) { warned = append(warned, m) }}, "AKIDfile", "file-key")
		switch {
		case tc.warn && (len(warned) != 1 || !strings.Contains(warned[0], path) || !strings.Contains(warned[0], "chmod 600")):
			t.Errorf("mode %04o: warnings %q, want one naming %s and chmod 600", tc.mode, warned, path)
		case !tc.warn && len(warned) > 0:
			t.Errorf("mode %04o: warnings %q, want none", tc.mode, warned)
		}
	}
}

// An explicit key and a profile's key are checked for whitespace and
// quotes too.
func TestExplicitKeyShape(t *testing.T) {
	clearCredentialEnv(t)
	for _, key := range []string{"key\n", " key", "'key'", "ke y"} {
		_, err := New(Config{SecretID: "AKID", SecretKey: key})
		if !errors.Is(err, ErrNoCredentials) || !strings.Contains(err.Error(), "secret key from the configuration") {
			t.Errorf("key %q: New = %v", key, err)
		}
	}
	signedWith(t, Config{SecretID: "AKID", SecretKey: "plain-Key_1+/="}, "AKID", "plain-Key_1+/=")
}
