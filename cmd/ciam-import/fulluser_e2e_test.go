package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// The import job's full user (issue 20), end to end against the emulator
// in strict mode (a real store's documented defaults): rows with only a
// WeChat id or only an email import through the import job, with a hash
// or, on request, a plaintext password.

// strictEmulator runs the in-process emulator with StrictSettings.
func strictEmulator(t *testing.T) *emulator.Running {
	t.Helper()
	cfg := emulator.DemoConfig()
	cfg.Store = emulator.StrictSettings()
	cfg.Import.UsersPerSecond = 500
	return startInProcessEmulator(t, cfg)
}

// writeFiles writes name -> content into a fresh directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// userByKey finds the emulator's user whose WeChat id or email is id.
func userByID(users []emulator.User, id string) *emulator.User {
	for i := range users {
		if derefTrim(users[i].WechatOpenId) == id || derefTrim(users[i].Email) == id {
			return &users[i]
		}
	}
	return nil
}

func TestFullUserImportEndToEnd(t *testing.T) {
	const pw1, pw2 = "Old-Pass#2019x", "Legacy!Pw-77q"
	cases := []struct {
		name    string
		mapping string
		csv     string
		extra   []string
	}{
		{
			name:    "hashed, legacy id stored",
			mapping: "version: 1\nkey: id\nfields:\n  IndexedAttribute1: id\n  WechatOpenId: wx\n  Email: email\n  Gender: gender\n  PasswordHash: {from: hash, algorithm: sha1}\n",
			csv:     "id,wx,email,gender,hash\nL1,o6_wx_only,,MALE," + sha1Hex(pw1) + "\nL2,,only@example.com,," + sha1Hex(pw2) + "\n",
		},
		{
			name:    "hashed, found by the WeChat id and the email alone",
			mapping: "version: 1\nkey: id\nfields:\n  WechatOpenId: wx\n  Email: email\n  Gender: gender\n  PasswordHash: {from: hash, algorithm: sha1}\n",
			csv:     "id,wx,email,gender,hash\nL1,o6_wx_only,,MALE," + sha1Hex(pw1) + "\nL2,,only@example.com,," + sha1Hex(pw2) + "\n",
		},
		{
			name:    "plaintext through the import job",
			mapping: "version: 1\nkey: id\nfields:\n  IndexedAttribute1: id\n  WechatOpenId: wx\n  Email: email\n  Gender: gender\n  Password: pw\n",
			csv:     "id,wx,email,gender,pw\nL1,o6_wx_only,,MALE," + pw1 + "\nL2,,only@example.com,," + pw2 + "\n",
			extra:   []string{"--plaintext-via-import-job", "PLAINTEXT"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			em := strictEmulator(t)
			in := writeFiles(t, map[string]string{"users.csv": tc.csv, "mapping.yaml": tc.mapping})
			dir := filepath.Join(t.TempDir(), "state")
			args := append([]string{"run", "--input", filepath.Join(in, "users.csv"), "--mapping", filepath.Join(in, "mapping.yaml"),
				"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", em.URL,
				"--progress", "never", "--job-poll", "20ms"}, tc.extra...)
			if code := runQuiet(t, args); code != exitOK {
				t.Fatalf("run exited %d, want %d", code, exitOK)
			}
			users := em.Server.Users(emulator.DemoUserStore)
			if len(users) != 2 {
				t.Fatalf("the store holds %d users, want 2", len(users))
			}
			created := reportColumn(t, filepath.Join(dir, "created.csv"), "key", "user_id")
			for id, want := range map[string]struct{ key, pw, gender string }{
				"o6_wx_only":       {"L1", pw1, "MALE"},
				"only@example.com": {"L2", pw2, ""},
			} {
				u := userByID(users, id)
				switch {
				case u == nil:
					t.Errorf("no user with %s", id)
				case created[want.key] != u.UserId:
					t.Errorf("created.csv gives %s user %q, the store %q", want.key, created[want.key], u.UserId)
				case derefTrim(u.Gender) != want.gender:
					t.Errorf("%s: Gender %q, want %q", id, derefTrim(u.Gender), want.gender)
				case !verifyPassword(t, em.URL, u.UserId, want.pw):
					t.Errorf("%s: the old password does not sign in", id)
				}
			}
		})
	}
}

// A plaintext row goes through CreateUser unless asked: ImportUser-only
// fields are refused by name, and the flag refuses an empty value or a
// hash name; each is a usage error (exit 2) that says what to do.
func TestFullUserRefusals(t *testing.T) {
	em := strictEmulator(t)
	in := writeFiles(t, map[string]string{
		"users.csv":    "id,wx,email,phone,login,pw\nL1,o6_x,a@example.com,+8613800138000,alice,Old-Pass#2019x\n",
		"mapping.yaml": "version: 1\nkey: id\nfields:\n  UserName: login\n  Email: email\n  PhoneNumber: phone\n  Password: pw\n  WechatOpenId: wx\n",
	})
	base := []string{"run", "--input", filepath.Join(in, "users.csv"), "--mapping", filepath.Join(in, "mapping.yaml"),
		"--user-store-id", emulator.DemoUserStore, "--endpoint", em.URL, "--progress", "never"}
	cases := []struct {
		name  string
		extra []string
		want  string
	}{
		{name: "WeChat id on a CreateUser mapping", want: "fields.WechatOpenId: CreateUser has no WechatOpenId"},
		{name: "flag without a value", extra: []string{"--plaintext-via-import-job", ""}, want: "needs the PasswordEncryptTypeEnum value"},
		{name: "flag naming a hash", extra: []string{"--plaintext-via-import-job", "SHA1"}, want: "names a hash algorithm"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append(append([]string{}, base...), "--state-dir", filepath.Join(t.TempDir(), "state")), tc.extra...)
			var stdout, stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			code := run(ctx, args, &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), exitUsage, tc.want)
			}
			if n := len(em.Server.Users(emulator.DemoUserStore)); n != 0 {
				t.Errorf("the store holds %d users after a refused run", n)
			}
		})
	}
}
