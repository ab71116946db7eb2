package report

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// columns returns the column names of the header of report name.
func columns(name string) string {
	return strings.TrimSuffix(string(headers[name]), "\n")
}

// readAll reads o's report at path with Read.
func readAll(t *testing.T, path string, o outcome.Outcome) []outcome.Row {
	t.Helper()
	var got []outcome.Row
	if err := Read(path, o, func(r outcome.Row, _ int) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestRead_RoundTrip: every report gives back the rows written to it,
// restricted to its columns, whatever their cells hold.
func TestRead_RoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := []outcome.Row{
		{Line: 2, ID: "10", Key: "a", UserID: "u1", RequestID: "r", Code: "InternalError", Message: nasty, Field: "email", Identifier: "email", Fields: "Email;Nickname", Attempts: 3, Pass: 1},
		{Line: 9, ID: "500", Key: "b,c", Code: "RequestLimitExceeded", Attempts: 5},
		{Line: 10, ID: "560", Key: "\"q\"", Code: "x", Message: "ünïcødé\ttab", Attempts: 1},
		{Line: 11, ID: "-1", Key: "=1+2", UserID: "@u", RequestID: "+r", Code: "-c", Message: "'quoted", Field: "\tf", Identifier: "\rid", Fields: "=F"},
	}
	for _, o := range outcome.All {
		for i := range rows {
			if err := w.Write(o, &rows[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, o := range outcome.All {
		var want []outcome.Row
		for i := range rows {
			r, err := o.Parse(o.Record(&rows[i])) // the row as o's columns show it
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, r)
		}
		path := filepath.Join(dir, o.File)
		if got := readAll(t, path, o); !reflect.DeepEqual(got, want) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", o.File, got, want)
		}
		if n, err := Count(path); err != nil || n != int64(len(rows)) {
			t.Errorf("Count(%s) = %d, %v; want %d (multi-line messages are one row)", o.File, n, err, len(rows))
		}
	}
	var lines []int
	_ = Read(filepath.Join(dir, RetryableFile), outcome.Retryable, func(_ outcome.Row, line int) error { lines = append(lines, line); return nil })
	if want := []int{2, 4, 5, 6}; !reflect.DeepEqual(lines, want) { // nasty holds one newline
		t.Errorf("report lines = %v, want %v", lines, want)
	}
	stop := errors.New("stop")
	if err := Read(filepath.Join(dir, RetryableFile), outcome.Retryable, func(outcome.Row, int) error { return stop }); err != stop {
		t.Errorf("fn error = %v, want it unchanged", err)
	}
}

func TestRead_Errors(t *testing.T) {
	header := columns(RetryableFile) + "\n"
	tests := []struct {
		name, data, want string
		rows             int // rows fn had before the error
		as               any
	}{
		{"empty", "", "no header", 0, new(*HeaderError)},
		{"other report", string(headers[CreatedFile]), `header is "line,key,user_id,request_id,pass", want "line,id,key,code,message,attempts"`, 0, new(*HeaderError)},
		{"bad number", header + "2,10,a,c,m,3\n3,x,a,c,m,x\n", "retryable.csv: line 3: column attempts", 1, new(*RowError)},
		{"short row", header + "2,10,a\n", "line 2: 3 cells, want 6", 0, new(*RowError)},
		{"bad quote", header + "2,10,a,c,m,3\n2,10,\"a,c,m,3\n", "line 3: byte 15: extraneous or missing", 1, new(*RowError)},
		{"torn quote", header + "2,10,a,c,\"m\n", "line 2", 0, new(*RowError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), RetryableFile)
			writeFile(t, path, tt.data)
			n := 0
			err := Read(path, outcome.Retryable, func(outcome.Row, int) error { n++; return nil })
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want it to name the file and mention %q", err, tt.want)
			}
			if !errors.As(err, tt.as) {
				t.Errorf("err = %T, want %T", err, tt.as)
			}
			if n != tt.rows {
				t.Errorf("fn had %d rows before the error, want %d", n, tt.rows)
			}
		})
	}
	if err := Read(filepath.Join(t.TempDir(), "nope.csv"), outcome.Retryable, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestRead_Unsafe: a report is never read through a symlink.
func TestRead_Unsafe(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere.csv")
	writeFile(t, target, string(headers[CreatedFile]))
	link := filepath.Join(dir, CreatedFile)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Read(link, outcome.Created, func(outcome.Row, int) error { return nil }); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("read through a symlink: %v", err)
	}
	if _, err := Count(link); err == nil {
		t.Error("Count read through a symlink")
	}
}

func TestCount(t *testing.T) {
	dir := t.TempDir()
	header := columns(CreatedFile) + "\n"
	for _, tt := range []struct {
		data string
		want int64
		err  string
	}{
		{"", 0, ""},
		{header, 0, ""},
		{header + "1,a,u,r,0\n2,\"b\nc\",u,r,0\n", 2, ""},
		{header + "1,a,u,r,0\n2,b,u", 2, ""}, // torn, unquoted: counted as before
		{header + "1,a,u,r,0\n2,\"b", 0, "line 3"},
		{"line,key\n1,a\n", 0, "header is"},
	} {
		path := filepath.Join(dir, CreatedFile)
		writeFile(t, path, tt.data)
		n, err := Count(path)
		if n != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("Count(%q) = %d, %v; want %d, %q", tt.data, n, err, tt.want, tt.err)
		}
	}
	if _, err := Count(filepath.Join(dir, "nope.csv")); err == nil || !strings.Contains(err.Error(), "not a report") {
		t.Errorf("Count of an unknown report: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, CreatedFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := Count(filepath.Join(dir, CreatedFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
