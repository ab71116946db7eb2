package source

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenHeaderErrors(t *testing.T) {
	tests := []struct {
		name, in string
		opt      Options
		err      error  // sentinel
		pos      string // "line:col" prefix of the message after the file name, if positioned
	}{
		{name: "empty file", in: "", err: ErrHeader},
		{name: "BOM only", in: "\uFEFF", err: ErrHeader},
		{name: "blank lines only", in: "\n\r\n\n", err: ErrHeader},
		{name: "duplicate column", in: "id,email,email\n1,a,b\n", err: ErrHeader, pos: "1:10:"},
		{name: "empty column", in: "id,,name\n", err: ErrHeader, pos: "1:4:"},
		{name: "blank column", in: "id, \n", err: ErrHeader, pos: "1:4:"},
		{name: "invalid UTF-8", in: "id,n\xffme\n", err: ErrInvalidUTF8, pos: "1:4:"},
		{name: "bad quote", in: "id,\"name\"x\n", err: ErrBadQuote, pos: "1:9:"},
		{name: "too long", in: "id,name,email\n", opt: Options{MaxRecordBytes: 8}, err: ErrLineTooLong, pos: "1:"},
		{name: "after blank lines", in: "\n\nid,id\n", err: ErrHeader, pos: "3:4:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := OpenReader("users.csv", strings.NewReader(tt.in), int64(len(tt.in)), tt.opt)
			if !errors.Is(err, tt.err) {
				t.Fatalf("OpenReader: %v, want %v", err, tt.err)
			}
			if tt.pos != "" && !strings.HasPrefix(err.Error(), "users.csv:"+tt.pos) {
				t.Errorf("error %q does not start with %q", err, "users.csv:"+tt.pos)
			}
		})
	}
}

func TestOpenOptions(t *testing.T) {
	tests := []struct {
		name   string
		opt    Options
		format string // "" if Open must fail
	}{
		{name: "users.csv", format: FormatCSV},
		{name: "USERS.CSV", format: FormatCSV},
		{name: "users.tsv", format: FormatCSV},
		{name: "users.jsonl", format: FormatJSONL},
		{name: "users.ndjson", format: FormatJSONL},
		{name: "users.txt"},
		{name: "users.json"},
		{name: "users.txt", opt: Options{Format: FormatJSONL}, format: FormatJSONL},
		{name: "users.jsonl", opt: Options{Format: FormatCSV}, format: FormatCSV},
		{name: "users.csv", opt: Options{Format: "xml"}},
		{name: "users.csv", opt: Options{Delimiter: '"'}},
		{name: "users.csv", opt: Options{Delimiter: '\n'}},
		{name: "users.csv", opt: Options{Delimiter: 'é'}},
		{name: "users.csv", opt: Options{MaxRecordBytes: -1}},
		{name: "users.csv", opt: Options{Offset: -1}},
		{name: "users.csv", opt: Options{Offset: 3, Line: -1}},
	}
	for _, tt := range tests {
		in := "a,b\n1,2\n"
		if strings.HasSuffix(tt.name, ".tsv") {
			in = "a\tb\n1\t2\n"
		}
		r, err := OpenReader(tt.name, strings.NewReader(in), int64(len(in)), tt.opt)
		if tt.format == "" {
			if err == nil {
				t.Errorf("OpenReader(%q, %+v) succeeded, want an error", tt.name, tt.opt)
			}
			continue
		}
		if err != nil {
			t.Errorf("OpenReader(%q, %+v): %v", tt.name, tt.opt, err)
			continue
		}
		_, isCSV := r.(*csvReader)
		if isCSV != (tt.format == FormatCSV) {
			t.Errorf("OpenReader(%q, %+v) read %T, want format %s", tt.name, tt.opt, r, tt.format)
		}
		if isCSV && len(r.Header()) != 2 {
			t.Errorf("OpenReader(%q): header %q, want 2 columns", tt.name, r.Header())
		}
	}
}

func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.csv")
	if err := os.WriteFile(path, []byte("id,name\n1,a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next()
	if err != nil || rec.Fields["name"] != "a" {
		t.Fatalf("Next() = %+v, %v", rec, err)
	}
	h := r.Header()
	h[0] = "changed"
	if r.Header()[0] != "id" {
		t.Error("changing the result of Header changed the reader")
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := r.Next(); !errors.Is(err, fs.ErrClosed) {
		t.Fatalf("Next after Close: %v, want fs.ErrClosed", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.csv"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open(missing): %v, want fs.ErrNotExist", err)
	}
	if _, err := Open(path, Options{Offset: 5}); !errors.Is(err, ErrOffset) {
		t.Fatalf("Open(Offset in header): %v, want ErrOffset", err)
	}
}

// failingReaderAt fails every read that reaches past its first n bytes.
type failingReaderAt struct {
	data string
	n    int64
}

var errDisk = errors.New("disk on fire")

func (f failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.n {
		return 0, errDisk
	}
	return copy(p, f.data[off:]), nil
}

func TestReadError(t *testing.T) {
	for _, name := range []string{"users.csv", "users.jsonl"} {
		in := "id,name\n1,a\n2,b\n"
		if name == "users.jsonl" {
			in = "{\"id\":1}\n{\"id\":2}\n"
		}
		r, err := OpenReader(name, failingReaderAt{in, 12}, int64(len(in)), Options{readSize: 4})
		if err != nil {
			t.Fatal(err)
		}
		var got error
		for range 10 {
			if _, got = r.Next(); got != nil {
				break
			}
		}
		if !errors.Is(got, errDisk) || !strings.Contains(got.Error(), name) {
			t.Fatalf("%s: Next: %v, want %v naming the file", name, got, errDisk)
		}
		if _, again := r.Next(); again != got {
			t.Fatalf("%s: Next after an error: %v, want %v again", name, again, got)
		}
	}
}

func TestRecordErrorText(t *testing.T) {
	tests := []struct {
		err  *RecordError
		want string
	}{
		{&RecordError{File: "users.csv", Line: 17, Column: 4, Err: ErrBadQuote}, "users.csv:17:4: bad quote"},
		{&RecordError{File: "users.csv", Line: 17, Err: ErrFieldCount}, "users.csv:17: wrong number of fields"},
		{&RecordError{File: "u.csv", Line: 2, Column: 3, Field: "e\"mail", Err: ErrInvalidUTF8},
			`u.csv:2:3: field "e\"mail": invalid UTF-8`},
		{&RecordError{Line: 9, Err: ErrNotObject}, "9: not a JSON object"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if !errors.Is(tt.err, tt.err.Err) {
			t.Errorf("errors.Is(%v, %v) = false", tt.err, tt.err.Err)
		}
	}
}
