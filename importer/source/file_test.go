package source

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// writeFile writes data to a file called name in a new directory.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// newFile returns the File for data written to a file called name.
func newFile(t testing.TB, name string, data []byte, opt Options) *File {
	t.Helper()
	f, err := NewFile(writeFile(t, name, data), opt)
	if err != nil {
		t.Fatalf("NewFile: %v", err)
	}
	return f
}

// readFrom reads in through f.Open(cur) to the end.
func readFrom(t testing.TB, in Input, cur string) []Record {
	t.Helper()
	r, err := in.Open(cur)
	if err != nil {
		t.Fatalf("Open(%q): %v", cur, err)
	}
	defer r.Close()
	return readAll(t, r)
}

// diffCursors describes the first record whose ID, Pos or Next differ.
func diffCursors(want, got []Record) string {
	if d := diffRecords(want, got); d != "" {
		return d
	}
	for i := range want {
		if w, g := want[i], got[i]; w.ID != g.ID || w.Pos != g.Pos || w.Next != g.Next {
			return "record " + strconv.Itoa(i) + ": ID, Pos, Next " + g.ID + " " + strconv.FormatInt(g.Pos, 10) + " " + g.Next +
				", want " + w.ID + " " + strconv.FormatInt(w.Pos, 10) + " " + w.Next
		}
	}
	return ""
}

func TestFileCursors(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"tricky.csv", trickyCSV}, {"tricky.jsonl", trickyJSONL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFile(t, tc.name, []byte(tc.in), Options{MaxRecordBytes: 40})
			if want := filepath.Ext(tc.name)[1:] + " file " + f.Path(); f.Identity() != want || !filepath.IsAbs(f.Path()) {
				t.Errorf("Identity() = %q, want %q", f.Identity(), want)
			}
			if f.Size() != int64(len(tc.in)) {
				t.Errorf("Size() = %d, want %d", f.Size(), len(tc.in))
			}
			all := readFrom(t, f, "")
			for i, rec := range all {
				if rec.ID != strconv.FormatInt(rec.Offset, 10) || rec.Pos != rec.End || !strings.HasPrefix(rec.Next, "f1:") {
					t.Fatalf("record %d: ID %q, Pos %d, Next %q at [%d,%d)", i, rec.ID, rec.Pos, rec.Next, rec.Offset, rec.End)
				}
				if d := diffCursors(all[i+1:], readFrom(t, f, rec.Next)); d != "" {
					t.Fatalf("Open(Next of record %d): %s", i, d)
				}
			}
		})
	}
}

// TestFileChanged changes a file in ways the old fingerprint, the size and
// the first MiB, does not see, and checks that Open of a cursor after the
// change fails with ErrChanged.
func TestFileChanged(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id,name\n")
	for i := 0; b.Len() < 3<<20; i++ {
		b.WriteString(strconv.Itoa(i) + ",user" + strconv.Itoa(i) + "\n")
	}
	data := b.Bytes()
	path := writeFile(t, "users.csv", data)
	f, err := NewFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := readFrom(t, f, "")
	var cur Record // the first record past 2 MiB
	for _, cur = range all {
		if cur.End > 2<<20 {
			break
		}
	}
	mid := bytes.IndexByte(data[3<<19:], '\n') + 3<<19 + 1 // a line start at 1.5 MiB
	tests := []struct {
		name   string
		change func([]byte) []byte
		err    error
		says   string
	}{
		{"a digit after the first MiB", func(d []byte) []byte { d[mid]++; return d }, ErrChanged, "first"},
		{"a row inserted after the first MiB, one dropped at the end",
			func(d []byte) []byte {
				d = append(d[:mid:mid], append([]byte("x,y\n"), d[mid:]...)...)
				return d[:len(data)]
			}, ErrChanged, "first"},
		{"truncated before the cursor", func(d []byte) []byte { return d[:cur.End-1] }, ErrChanged, "shorter"},
		{"rows appended after the cursor", func(d []byte) []byte { return append(d, "z,zz\n"...) }, nil, ""},
		{"nothing", func(d []byte) []byte { return d }, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, tt.change(bytes.Clone(data)), 0o600); err != nil {
				t.Fatal(err)
			}
			r, err := f.Open(cur.Next)
			if tt.err == nil {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				r.Close()
				return
			}
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Open: %v, want %v naming the file and saying %q", err, tt.err, tt.says)
			}
		})
	}
}

func TestFileBadCursor(t *testing.T) {
	const in = "id,name\n1,a\n2,b\n"
	f := newFile(t, "users.csv", []byte(in), Options{})
	all := readFrom(t, f, "")
	good := all[0].Next
	sum := func(n int) uint64 { return xxhash.Sum64String(in[:n]) }
	for _, tt := range []struct {
		cur string
		err error
	}{
		{"garbage", ErrCursor},
		{"f1:12:3", ErrCursor},
		{"f2" + good[2:], ErrCursor},
		{"f1:x:3:" + good[len(good)-16:], ErrCursor},
		{"f1:12:3:zzzzzzzzzzzzzzzz", ErrCursor},
		{cursor{off: 12, line: 7, sum: sum(12)}.String(), ErrCursor}, // wrong line
		{cursor{off: 3, line: 1, sum: sum(3)}.String(), ErrCursor},   // in the header
		{cursor{off: 12, line: 3, sum: sum(12) + 1}.String(), ErrChanged},
		{cursor{off: 99, line: 3, sum: 1}.String(), ErrChanged},
		{cursor{off: 12, line: 3, sum: sum(12)}.String(), nil},
	} {
		r, err := f.Open(tt.cur)
		if !errors.Is(err, tt.err) {
			t.Errorf("Open(%q): %v, want %v", tt.cur, err, tt.err)
		}
		if err == nil {
			r.Close()
		} else if !strings.Contains(err.Error(), f.Path()) {
			t.Errorf("Open(%q): %v does not name the file", tt.cur, err)
		}
	}
}

func TestFileReread(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"tricky.csv", trickyCSV}, {"tricky.jsonl", trickyJSONL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFile(t, tc.name, []byte(tc.in), Options{MaxRecordBytes: 40})
			all := readFrom(t, f, "")
			byID := make(map[string]Record)
			var ids []string
			for i := len(all) - 1; i >= 0; i-- {
				byID[all[i].ID] = all[i]
				ids = append(ids, all[i].ID)
			}
			blank := strconv.Itoa(strings.Index(tc.in, "\n\n") + 1)
			bad := []string{"x", "-1", "007", "99999", strconv.Itoa(len(tc.in)), "1", blank}
			if strings.HasSuffix(tc.name, ".csv") {
				bad = append(bad, "0")
			}
			ids = append(append(ids, bad...), all[2].ID)
			r, err := f.Reread(ids)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := readAll(t, r)
			if len(got) != len(ids) {
				t.Fatalf("read %d records, want %d", len(got), len(ids))
			}
			for i, rec := range got {
				want, ok := byID[ids[i]]
				if !ok {
					var re *RecordError
					if rec.ID != ids[i] || !errors.As(rec.Err, &re) || !errors.Is(rec.Err, ErrOffset) || re.File != f.Path() {
						t.Errorf("Reread ID %q: %+v, want a *RecordError matching ErrOffset", ids[i], rec)
					}
					continue
				}
				if rec.Next != "" {
					t.Errorf("Reread ID %q: Next %q, want none", ids[i], rec.Next)
				}
				want.Next = ""
				if d := diffCursors([]Record{want}, []Record{rec}); d != "" {
					t.Errorf("Reread ID %q: %s", ids[i], d)
				}
			}
		})
	}
}
