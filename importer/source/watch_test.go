package source

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

func TestNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "users.jsonl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, dir, "/dev/null"} {
		_, err := NewFile(path, Options{Format: FormatJSONL})
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "save it to a file") {
			t.Errorf("NewFile(%s): %v, want ErrNotRegular naming it and saying what to do", path, err)
		}
		if _, err := Open(path, Options{Format: FormatCSV}); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Open(%s): %v, want ErrNotRegular", path, err)
		}
	}
	if _, err := NewFile(filepath.Join(dir, "missing.csv"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("NewFile(missing): %v, want os.ErrNotExist", err)
	}
	if _, err := NewFile(writeFile(t, "u.csv", []byte("a\n1\n")), Options{Offset: 2}); err == nil {
		t.Error("NewFile with Options.Offset succeeded")
	}
}

// TestChangedWhileReading changes a file under a reader and checks that
// Next fails with ErrChanged, after only records of the original file.
func TestChangedWhileReading(t *testing.T) {
	var b bytes.Buffer
	if err := sourcetest.WriteCSV(&b, 8_000, 1); err != nil { // 1.2 MB
		t.Fatal(err)
	}
	data := b.Bytes()
	tests := []struct {
		name   string
		change func(t *testing.T, path string)
		says   string
	}{
		{"truncated mid-line", func(t *testing.T, path string) {
			if err := os.Truncate(path, int64(len(data)/2+7)); err != nil {
				t.Fatal(err)
			}
		}, "shrank"},
		{"appended to", func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("1,2,3,4,5,6,7,8,9,10\n"); err != nil {
				t.Fatal(err)
			}
		}, "grew"},
		{"replaced", func(t *testing.T, path string) {
			tmp := path + ".new"
			if err := os.WriteFile(tmp, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		}, "replaced"},
	}
	for _, tt := range tests {
		for _, legacy := range []bool{false, true} {
			path := writeFile(t, "users.csv", data)
			var r Reader
			var err error
			if legacy {
				r, err = Open(path, Options{})
			} else {
				var f *File
				if f, err = NewFile(path, Options{}); err == nil {
					r, err = f.Open("")
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			want := readAll(t, openString(t, "users.csv", string(data), Options{}))
			got := readN(t, r, 10)
			tt.change(t, path)
			var rec Record
			for ; err == nil; got++ {
				if rec, err = r.Next(); err == nil && (rec.Offset != want[got].Offset || rec.End != want[got].End || rec.Err != nil) {
					t.Fatalf("%s: record %d is %+v, want %+v", tt.name, got, rec, want[got])
				}
			}
			if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), path) {
				t.Errorf("%s (legacy %v): Next: %v, want ErrChanged naming the file and saying %q", tt.name, legacy, err, tt.says)
			}
			if _, again := r.Next(); again != err {
				t.Errorf("%s: Next after the error: %v", tt.name, again)
			}
			r.Close()
		}
	}
	// Unchanged: no error, and io.EOF at the end.
	r, err := Open(writeFile(t, "users.csv", data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for err == nil {
		_, err = r.Next()
	}
	if err != io.EOF {
		t.Fatalf("Next on an unchanged file: %v", err)
	}
}

// TestPeriodicCheck checks that a change is found while reading, every
// watchEvery bytes, not only at the end of the file.
func TestPeriodicCheck(t *testing.T) {
	defer func(n int64) { watchEvery = n }(watchEvery)
	watchEvery = 64 << 10
	var b bytes.Buffer
	if err := sourcetest.WriteCSV(&b, 8_000, 1); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "users.csv", b.Bytes())
	f, err := NewFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := readN(t, r, 10)
	if err := os.WriteFile(path, append(b.Bytes(), "1,2,3,4,5,6,7,8,9,10\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = r.Next()
		n++
	}
	if !errors.Is(err, ErrChanged) || n > 8_000/2 {
		t.Fatalf("Next: %v after %d of 8000 records, want ErrChanged within 128 KiB", err, n)
	}
}
