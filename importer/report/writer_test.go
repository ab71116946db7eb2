package report

import (
	"fmt"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
)

const nasty = "bad \"value\", then\nanother line, and a trailing space "

// writeAll writes one row of every kind, numbered by line.
func writeAll(t *testing.T, w *Writer, line int64) {
	t.Helper()
	key := fmt.Sprintf("legacy-%d", line)
	for _, err := range []error{
		w.Write(outcome.Created, &outcome.Row{Line: line, Key: key, UserID: "u-" + key, RequestID: "r1", Pass: 1}),
		w.Write(outcome.Conflict, &outcome.Row{Line: line, Key: key, Identifier: IdentifierEmail, Code: "FailedOperation.EmailAlreadyExists", Message: nasty, RequestID: "r2"}),
		w.Write(outcome.Retryable, &outcome.Row{Line: line, ID: fmt.Sprint(line * 100), Key: key, Code: "RequestLimitExceeded", Message: nasty, Attempts: 5}),
		w.Write(outcome.Rejected, &outcome.Row{Line: line, Key: key, Field: "email", Message: nasty}),
		w.Write(outcome.Skipped, &outcome.Row{Line: line, Key: key, UserID: "u-old", Message: "imported by an earlier run"}),
		w.Write(outcome.Updated, &outcome.Row{Line: line, Key: key, UserID: "u-" + key, Fields: "Email;Nickname"}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// lines returns the Line column of every row of every report, by file.
func lines(t *testing.T, dir string) map[string][]int64 {
	t.Helper()
	got := map[string][]int64{}
	for _, name := range Files {
		o, _ := outcome.ByFile(name)
		for _, r := range readAll(t, filepath.Join(dir, name), o) {
			got[name] = append(got[name], r.Line)
		}
	}
	return got
}

func wantLines(ls ...int64) map[string][]int64 {
	m := map[string][]int64{}
	for _, name := range Files {
		m[name] = ls
	}
	return m
}

func TestWriter_Fresh(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, CreatedFile), "old content from another run\n")
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Files {
		path := filepath.Join(dir, name)
		assertMode(t, path, 0o600)
		if got := readFile(t, path); got != string(headers[name]) {
			t.Errorf("%s after open = %q, want only the header", name, got)
		}
		if w.Sizes()[name] != int64(len(headers[name])) {
			t.Errorf("Sizes[%s] = %d, want %d", name, w.Sizes()[name], len(headers[name]))
		}
	}
	if got := columns(CreatedFile); got != "line,key,user_id,request_id,pass" {
		t.Errorf("created.csv columns = %q", got)
	}
	before := w.Sizes()
	writeAll(t, w, 2)
	if !reflect.DeepEqual(w.Sizes(), before) {
		t.Error("Sizes changed before Sync")
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	for name, size := range w.Sizes() {
		if fi, _ := os.Stat(filepath.Join(dir, name)); fi.Size() != size {
			t.Errorf("Sizes[%s] = %d, file has %d", name, size, fi.Size())
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := lines(t, dir); !reflect.DeepEqual(got, wantLines(2)) {
		t.Errorf("rows = %v", got)
	}
	if err := w.Write(outcome.Created, &outcome.Row{}); err == nil {
		t.Error("write after Close must fail")
	}
}

// TestWriter_ResumeTruncates: rows written after the snapshot's sizes were
// taken, whole or torn, disappear on reopen; new rows follow the kept ones.
func TestWriter_ResumeTruncates(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, 2)
	writeAll(t, w, 3)
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	snap := w.Sizes() // what the snapshot records
	writeAll(t, w, 4)
	if err := w.Sync(); err != nil { // durable, but after the snapshot
		t.Fatal(err)
	}
	writeAll(t, w, 5) // buffered only: lost in the "crash"
	for _, name := range Files {
		appendRaw(t, filepath.Join(dir, name), "6,torn-ro") // a half-flushed row
	}
	// kill -9: w is abandoned without Close.

	w2, err := OpenWriter(dir, snap)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w2.Sizes(), snap) {
		t.Errorf("Sizes after reopen = %v, want %v", w2.Sizes(), snap)
	}
	writeAll(t, w2, 7)
	if err := w2.Close(); err != nil {
		t.Fatal(err)
	}
	if got := lines(t, dir); !reflect.DeepEqual(got, wantLines(2, 3, 7)) {
		t.Errorf("rows after resume = %v, want 2, 3, 7 in every report", got)
	}
	for _, name := range Files {
		if n, err := Count(filepath.Join(dir, name)); err != nil || n != 3 {
			t.Errorf("Count(%s) = %d, %v; want 3", name, n, err)
		}
	}
}

func TestOpenWriter_ResumeErrors(t *testing.T) {
	setup := func(t *testing.T) (string, map[string]int64) {
		dir := t.TempDir()
		w, err := OpenWriter(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		writeAll(t, w, 2)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return dir, w.Sizes()
	}
	tests := []struct {
		name string
		edit func(dir string, sizes map[string]int64)
	}{
		{"missing file with recorded size", func(dir string, _ map[string]int64) { _ = os.Remove(filepath.Join(dir, SkippedFile)) }},
		{"no recorded size", func(_ string, sizes map[string]int64) { delete(sizes, RejectedFile) }},
		{"file shorter than recorded", func(_ string, sizes map[string]int64) { sizes[CreatedFile] += 10 }},
		{"size inside a row", func(_ string, sizes map[string]int64) { sizes[ConflictsFile] -= 3 }},
		{"size inside the header", func(_ string, sizes map[string]int64) { sizes[CreatedFile] = 4 }},
		{"wrong header", func(dir string, _ map[string]int64) {
			path := filepath.Join(dir, RetryableFile)
			writeFile(t, path, strings.Replace(readFile(t, path), "attempts", "attempt", 1)+" ")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, sizes := setup(t)
			tt.edit(dir, sizes)
			if w, err := OpenWriter(dir, sizes); err == nil {
				_ = w.Close()
				t.Fatal("want an error")
			}
		})
	}
}

// A missing file recorded at size 0 and a file at size 0 start over with
// their header.
func TestOpenWriter_ZeroSize(t *testing.T) {
	dir := t.TempDir()
	sizes := map[string]int64{}
	for _, name := range Files {
		sizes[name] = 0
	}
	writeFile(t, filepath.Join(dir, CreatedFile), "junk")
	w, err := OpenWriter(dir, sizes)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, name := range Files {
		if got := readFile(t, filepath.Join(dir, name)); got != string(headers[name]) {
			t.Errorf("%s = %q, want the header", name, got)
		}
	}
}

func TestWriter_Concurrent(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if err := w.Write(outcome.Created, &outcome.Row{Line: int64(g*1000 + i), Key: "k"}); err != nil {
					t.Error(err)
				}
				if i%10 == 0 {
					_ = w.Sync()
					_ = w.Sizes()
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := Count(filepath.Join(dir, CreatedFile)); err != nil || n != 400 {
		t.Errorf("Count = %d, %v; want 400", n, err)
	}
}

// Reports must never carry secrets: neither the row every report is made
// of nor any report's columns. ("pass" is the retry pass number, an int.)
func TestRows_NoSecretFields(t *testing.T) {
	secret := regexp.MustCompile(`(?i)passw|pwd|secret|salt|hash|credential|token`)
	typ := reflect.TypeFor[outcome.Row]()
	for i := range typ.NumField() {
		if f := typ.Field(i); secret.MatchString(f.Name) {
			t.Errorf("outcome.Row.%s looks like a secret", f.Name)
		}
		if f := typ.Field(i); f.Name == "Pass" && f.Type.Kind() != reflect.Int {
			t.Errorf("outcome.Row.Pass must stay the pass number")
		}
	}
	for _, o := range outcome.All {
		for _, c := range o.Columns {
			if c.Name != "pass" && secret.MatchString(c.Name) {
				t.Errorf("%s: column %s looks like a secret", o.File, c.Name)
			}
		}
	}
	if got, want := columns(RetryableFile), strings.Join(outcome.Retryable.Header(), ","); got != want {
		t.Errorf("Retryable struct reads %q, the report writes %q", got, want)
	}
}

func appendRaw(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func assertMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s: mode %v, want %v", filepath.Base(path), fi.Mode().Perm(), want)
	}
}
