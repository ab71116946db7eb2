package report

import (
	"errors"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadRetryable(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Retryable{
		{Line: 2, ID: "10", Key: "a", Code: "InternalError", Message: nasty, Attempts: 3},
		{Line: 9, ID: "500", Key: "b,c", Code: "RequestLimitExceeded", Message: "", Attempts: 5},
		{Line: 10, ID: "560", Key: "\"q\"", Code: "x", Message: "ünïcødé\ttab", Attempts: 1},
	}
	for _, r := range want {
		if err := w.Write(outcome.Retryable, &outcome.Row{Line: r.Line, ID: r.ID, Key: r.Key, Code: r.Code, Message: r.Message, Attempts: r.Attempts}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, RetryableFile)
	var got []Retryable
	if err := ReadRetryable(path, func(r Retryable) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if n, err := Count(path); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3 (multi-line messages are one row)", n, err)
	}
	stop := errors.New("stop")
	if err := ReadRetryable(path, func(Retryable) error { return stop }); err != stop {
		t.Errorf("fn error = %v, want it unchanged", err)
	}
}

func TestReadRetryable_Errors(t *testing.T) {
	header := columns(RetryableFile) + "\n"
	tests := []struct{ name, data, want string }{
		{"empty", "", "no header"},
		{"other report", string(headers[CreatedFile]), "header is"},
		{"bad number", header + "2,10,a,c,m,3\n3,x,a,c,m,x\n", "line 3"},
		{"short row", header + "2,10,a\n", "line 2"},
		{"bad quote", header + "2,10,\"a,c,m,3\n", "extraneous or missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), RetryableFile)
			writeFile(t, path, tt.data)
			err := ReadRetryable(path, func(Retryable) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if err := ReadRetryable(filepath.Join(t.TempDir(), "nope.csv"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestCount(t *testing.T) {
	dir := t.TempDir()
	for data, want := range map[string]int64{
		"":                            0,
		"line,key\n":                  0,
		"line,key\n1,a\n2,\"b\nc\"\n": 2,
	} {
		path := filepath.Join(dir, "r.csv")
		writeFile(t, path, data)
		if n, err := Count(path); err != nil || n != want {
			t.Errorf("Count(%q) = %d, %v; want %d", data, n, err, want)
		}
	}
	if _, err := Count(filepath.Join(dir, "nope.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
