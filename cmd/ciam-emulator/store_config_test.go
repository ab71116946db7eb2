package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
)

func noEnv(string) string { return "" }

func writeFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestStoreFlags: lenient by default, --strict, a file over --strict, and
// flags over the file.
func TestStoreFlags(t *testing.T) {
	file := writeFile(t, `{"customAttributes":["tier"],"emailPattern":"^[^@]+@x$","phonePattern":"^1",
		"passwordPolicy":{"minLength":6},"updateMode":"merge","createdStatus":"NORMAL",
		"userGroupNames":{"6cd22e51a1b24c0f9d8e7f6a5b4c3d21":"staff"}}`)
	strictFile := emulator.StrictSettings()
	strictFile.CustomAttributes = []string{"tier"}
	strictFile.PasswordPolicy = emulator.PasswordPolicy{MinLength: 6}
	strictFile.UpdateMode = emulator.UpdateMerge
	strictFile.CreatedStatus = "NORMAL"
	overridden := strictFile
	overridden.UpdateMode, overridden.PlaintextEnum = emulator.UpdateReplace, "CLEAR"
	tests := []struct {
		name string
		args []string
		want emulator.StoreSettings
	}{
		{"lenient", nil, emulator.DemoConfig().Store},
		{"strict", []string{"--strict"}, emulator.StrictSettings()},
		{"strict and file", []string{"--strict", "--store-config", file}, strictFile},
		{"flags over the file", []string{"--store-config", file, "--strict", "--update-mode", "replace", "--plaintext-enum", "CLEAR"}, overridden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args, io.Discard, noEnv)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(o.cfg.Store, tt.want) {
				t.Errorf("store settings\n got %+v\nwant %+v", o.cfg.Store, tt.want)
			}
		})
	}
	o, err := parseFlags([]string{"--store-config", file, "--phone-pattern", "^9"}, io.Discard, noEnv)
	if err != nil || o.cfg.Patterns.Email.String() != "^[^@]+@x$" || o.cfg.Patterns.PhoneNumber.String() != "^9" ||
		o.cfg.UserGroupNames["6cd22e51a1b24c0f9d8e7f6a5b4c3d21"] != "staff" {
		t.Errorf("patterns %+v, groups %v, %v", o.cfg.Patterns, o.cfg.UserGroupNames, err)
	}
}

func TestBadStoreFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--update-mode", "overwrite"},
		{"--created-status", "LOCKED"},
		{"--plaintext-enum", "MD5"},
		{"--import-vanish-rate", "2"},
		{"--store-config", writeFile(t, `{"unknownKey":true}`)},
		{"--store-config", writeFile(t, `{"emailPattern":"("}`)},
		{"--store-config", filepath.Join(t.TempDir(), "missing.json")},
	} {
		var stderr bytes.Buffer
		if got := run(context.Background(), args, io.Discard, &stderr); got != exitUsage || stderr.Len() == 0 {
			t.Errorf("run %v = %d (%q), want %d and a message", args, got, stderr.String(), exitUsage)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run(context.Background(), []string{"--version"}, &stdout, &stderr); got != exitOK ||
		!strings.HasPrefix(stdout.String(), "ciam-emulator ") {
		t.Errorf("--version = %d, %q", got, stdout.String())
	}
	stdout.Reset()
	if got := run(context.Background(), []string{"--help"}, &stdout, &stderr); got != exitOK ||
		!strings.Contains(stderr.String(), "Examples:") || !strings.Contains(stderr.String(), "  --strict ") {
		t.Errorf("--help = %d, %q", got, stderr.String())
	}
}
