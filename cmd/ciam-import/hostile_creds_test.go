package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// credsFile is the [default] section of a credentials file with a key.
func credsFile(id, key string) string {
	return "[default]\nsecret_id = " + id + "\nsecret_key = " + key + "\n"
}

// credsEnv replaces the binary's credential variables by env (NAME=value).
func credsEnv(env ...string) func(*exec.Cmd) {
	return func(c *exec.Cmd) {
		kept := c.Env[:0:0]
		for _, kv := range c.Env {
			if !strings.HasPrefix(kv, "TENCENTCLOUD_") {
				kept = append(kept, kv)
			}
		}
		c.Env = append(kept, env...)
	}
}

// credCase runs the binary with the credentials env (file, when not
// empty, written to creds.ini with mode and named by
// TENCENTCLOUD_CREDENTIALS_FILE); no secret may be printed.
func credCase(name string, file string, mode os.FileMode, env []string, code int, stderr ...string) hostileCase {
	return hostileCase{item: 21, name: "credentials: " + name, proc: true,
		do: func(h *hostileEnv) binRun {
			path := h.path("creds.ini")
			if file != "" {
				h.write("creds.ini", file)
				if err := os.Chmod(path, mode); err != nil {
					h.t.Fatal(err)
				}
			}
			env := append([]string{ciam.EnvCredentialsFile + "=" + path, "HOME=" + h.dir}, env...)
			return h.exec(credsEnv(env...), h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping))...)
		},
		code: code, stderr: stderr,
		check: func(t *testing.T, h *hostileEnv, r binRun) {
			for _, s := range []string{chaosSecretKey, "other-account-key"} {
				if strings.Contains(r.stderr+r.stdout, s) {
					t.Errorf("a secret key is printed:\n%s", r.stderr)
				}
			}
		}}
}

// credentialCases: a half-set environment, a key with a newline or quotes
// and a missing file are refused before any request, saying what to fix; a
// credentials file others can read is used with a warning.
func credentialCases() []hostileCase {
	id, key := "TENCENTCLOUD_SECRET_ID="+chaosSecretID, "TENCENTCLOUD_SECRET_KEY="+chaosSecretKey
	other := credsFile("AKIDotheraccount", "other-account-key")
	return []hostileCase{
		credCase("only the id in the environment, another account's file", other, 0o600, []string{id}, exitUsage,
			"TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not", "set both"),
		credCase("only the key in the environment", other, 0o600, []string{key}, exitUsage,
			"TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"),
		credCase("a trailing newline in the key", "", 0, []string{id, key + "\n"}, exitUsage,
			"secret key from the environment contains whitespace, a newline or quotes (not shown)"),
		credCase("a quoted key in the file", credsFile(chaosSecretID, `"`+chaosSecretKey+`"`), 0o600, nil, exitUsage,
			"secret key from credentials file", "creds.ini contains whitespace, a newline or quotes"),
		credCase("a missing TENCENTCLOUD_CREDENTIALS_FILE", "", 0, nil, exitUsage,
			"creds.ini (from TENCENTCLOUD_CREDENTIALS_FILE) does not exist"),
		credCase("an empty TENCENTCLOUD_CREDENTIALS_FILE", "", 0, []string{ciam.EnvCredentialsFile + "="}, exitUsage,
			"TENCENTCLOUD_CREDENTIALS_FILE is set but empty"),
		{item: 21, name: "credentials: none at all", proc: true,
			do: func(h *hostileEnv) binRun {
				return h.exec(credsEnv("HOME="+h.dir), h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitUsage, stderr: []string{"looked in the environment", ".tencentcloud/credentials (no such file)", "set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY"}},
		{item: 21, name: "credentials: a file readable by others is used with a warning", proc: true,
			do: func(h *hostileEnv) binRun {
				path := h.write("creds.ini", credsFile(chaosSecretID, chaosSecretKey))
				if err := os.Chmod(path, 0o644); err != nil {
					h.t.Fatal(err)
				}
				return h.exec(credsEnv(ciam.EnvCredentialsFile+"="+path), h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitOK, stderr: []string{"warning: credentials file", "creds.ini can be read by group or others (mode 0644): run chmod 600"},
			lines: linesIn(2, 3, "created.csv"),
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != 2 {
					t.Errorf("%d users, want 2", n)
				}
			}},
	}
}
