package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkNoSecrets asserts no password of the input appears in any file of the
// state directory or in anything the import runs printed.
func (j *chaosJob) checkNoSecrets(t *testing.T) {
	t.Helper()
	const window = 24 // a password's characters 7..31 (the bcrypt-like salt and hash)
	probes := map[string]int64{}
	for _, w := range j.in.rows {
		if len(w.password) >= 7+window {
			probes[w.password[7:7+window]] = w.line
		}
	}
	if len(probes) != len(j.in.rows) {
		t.Fatalf("only %d distinct password probes for %d rows", len(probes), len(j.in.rows))
	}
	var files []string
	for _, dir := range []string{j.stateDir, j.logDir} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && !strings.HasPrefix(d.Name(), "emulator.") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if j.ledger != "" {
		files = append(files, j.ledger)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if line, at, ok := findProbe(data, probes, window); ok {
			t.Errorf("%s holds the password of line %d (at byte %d)", path, line, at)
		}
		if bytes.Contains(data, []byte("DATA RACE")) || bytes.Contains(data, []byte("panic: ")) {
			t.Errorf("%s reports a data race or a panic:\n%s", path, readTail(path))
		}
	}
}

// findProbe looks for any window-byte probe in data. A password is made of
// bcrypt's alphabet and '$', so only runs of those characters at least
// window long are searched.
func findProbe(data []byte, probes map[string]int64, window int) (line int64, at int, ok bool) {
	start := 0
	for i := 0; i <= len(data); i++ {
		if i < len(data) && isPasswordByte(data[i]) {
			continue
		}
		for k := start; k+window <= i; k++ {
			if line, ok := probes[string(data[k:k+window])]; ok {
				return line, k, true
			}
		}
		start = i + 1
	}
	return 0, 0, false
}

func isPasswordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '/' || c == '$'
}

// checkModes asserts every file in the state directory, and the ledger,
// is 0600, and the directory 0700.
func (j *chaosJob) checkModes(t *testing.T) {
	t.Helper()
	entries, err := os.ReadDir(j.stateDir)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{j.stateDir}
	for _, e := range entries {
		paths = append(paths, filepath.Join(j.stateDir, e.Name()))
	}
	if j.ledger != "" {
		paths = append(paths, j.ledger)
	}
	for _, path := range paths {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		want := fs.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s is mode %v, want %v", path, fi.Mode().Perm(), want)
		}
		if strings.HasSuffix(path, ".tmp") {
			t.Errorf("%s left behind", path)
		}
	}
}

func TestFindProbe(t *testing.T) {
	pw := "$2a$10$uveUBekVWxvBgmiJfVwHj1Er7qRoPWBHp.xnyM4p/N/9ftedI.1Ka"
	probes := map[string]int64{pw[7:31]: 2}
	for _, tt := range []struct {
		data string
		want bool
	}{
		{"", false},
		{pw, true},
		{`{"op":"settle","msg":"` + pw + `"}`, true},
		{"line,key\n2,1577507604," + pw[7:40] + "\n", true}, // a piece of it is enough
		{pw[:30], false},
		{strings.Repeat("a", 100), false},
		{pw[7:20] + "," + pw[20:40], false}, // split by a separator: not the password
	} {
		if _, _, got := findProbe([]byte(tt.data), probes, 24); got != tt.want {
			t.Errorf("findProbe(%q) = %v, want %v", tt.data, got, tt.want)
		}
	}
}
