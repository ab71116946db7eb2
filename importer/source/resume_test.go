package source

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// trickyCSV has every kind of record: BOM, CRLF and LF, blank lines, quoted
// fields with delimiters, quotes and newlines, every kind of error, an
// oversized line (under MaxRecordBytes 40), and no newline at the end.
const trickyCSV = "\uFEFFid,name,note\r\n" +
	"1,ann,plain\r\n" +
	"\r\n" +
	"2,\"bob, jr\",\"multi\r\nline \"\"quoted\"\"\"\n" +
	"\n\n" +
	"3,carl\n" +
	"4,dan,x,extra\n" +
	"5,e\"ve,bare\n" +
	"6,\"fay\"x,after\n" +
	"7,\"stray,quote\n" +
	"8,gus,ok\n" +
	"9,\"h\nal\"x,late\n" +
	"10,ivy,\xff\xfe\n" +
	"11,jo,\"" + "0123456789012345678901234567890123456789" + "\"\n" +
	"12,\"kim\n\",\"\"\r\n" +
	"13,lee,last"

// trickyJSONL is the JSONL counterpart of trickyCSV.
const trickyJSONL = "\uFEFF{\"id\":1}\r\n" +
	"\n \t\n" +
	"{\"id\":2,\"tags\":[\"a\",{\"b\":2.50}]}\n" +
	"{\"id\":3\n" +
	"[3]\n" +
	"{\"id\":\"\xff\"}\n" +
	"{\"id\":\"0123456789012345678901234567890123456789\"}\n" +
	"{\"id\":4} x\n" +
	"{\"id\":5}"

func TestResumeEquivalence(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		start    int64 // end of the header
	}{
		{"tricky.csv", trickyCSV, int64(strings.Index(trickyCSV, "\n") + 1)},
		{"tricky.jsonl", trickyJSONL, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := Options{MaxRecordBytes: 40}
			all := readAll(t, openString(t, tc.name, tc.in, opt))
			if len(all) < 8 {
				t.Fatalf("only %d records", len(all))
			}
			checkPositions(t, tc.in, tc.start, all)
			for _, size := range []int{1, 2, 3, 7, 16} {
				opt.readSize = size
				got := readAll(t, openString(t, tc.name, tc.in, opt))
				if d := diffRecords(all, got); d != "" {
					t.Fatalf("reading %d bytes at a time: %s", size, d)
				}
			}
			assertResumes(t, tc.name, tc.in, Options{MaxRecordBytes: 40}, all, 1)
			// Resuming before the first record reads them all.
			for _, line := range []int64{0, lineAt(tc.in, max(tc.start, 3))} {
				opt := Options{MaxRecordBytes: 40, Offset: max(tc.start, 3), Line: line}
				r, err := OpenReader(tc.name, strings.NewReader(tc.in), int64(len(tc.in)), opt)
				if err != nil {
					t.Fatalf("resume at the first record: %v", err)
				}
				if d := diffRecords(all, readAll(t, r)); d != "" {
					t.Fatalf("resume at the first record: %s", d)
				}
			}
		})
	}
}

// assertResumes reopens in at the end of every record of all (or of every
// stride-th record, then the last ones), with the line given and with the
// line counted, and at its start, and checks the rest reads the same.
func assertResumes(t *testing.T, name, in string, opt Options, all []Record, stride int) {
	t.Helper()
	for i, rec := range all {
		if i%stride != 0 && i < len(all)-stride {
			continue
		}
		for _, at := range []struct {
			off, line int64
			rest      []Record
		}{{rec.End, rec.EndLine, all[i+1:]}, {rec.End, 0, all[i+1:]}, {rec.Offset, rec.Line, all[i:]}} {
			opt.Offset, opt.Line = at.off, at.line
			r, err := OpenReader(name, strings.NewReader(in), int64(len(in)), opt)
			if err != nil {
				t.Fatalf("resume at record %d (offset %d, line %d): %v", i, at.off, at.line, err)
			}
			if d := diffRecords(at.rest, readAll(t, r)); d != "" {
				t.Fatalf("resume at record %d (offset %d, line %d): %s", i, at.off, at.line, d)
			}
		}
	}
}

// checkPositions checks that the records tile the input from start, in
// order, with only blank lines between them, and that their line numbers
// count the newlines before them.
func checkPositions(t testing.TB, in string, start int64, recs []Record) {
	t.Helper()
	prev := start
	for i, r := range recs {
		switch {
		case r.Offset < prev || r.End <= r.Offset || r.End > int64(len(in)):
			t.Fatalf("record %d spans [%d,%d) after %d in %d bytes", i, r.Offset, r.End, prev, len(in))
		case strings.TrimLeft(in[prev:r.Offset], "\r\n \t\uFEFF") != "":
			t.Fatalf("record %d: %q skipped before it", i, in[prev:r.Offset])
		case r.Line != lineAt(in, r.Offset) || r.EndLine != lineAt(in, r.End):
			t.Fatalf("record %d: lines %d..%d, want %d..%d", i, r.Line, r.EndLine, lineAt(in, r.Offset), lineAt(in, r.End))
		}
		var re *RecordError
		if r.Err != nil && (!errors.As(r.Err, &re) || re.Line < r.Line || re.Line > max(r.EndLine, r.Line)) {
			t.Fatalf("record %d on lines %d..%d: error %v", i, r.Line, r.EndLine, r.Err)
		}
		prev = r.End
	}
}

// lineAt returns the line number at offset off of in.
func lineAt(in string, off int64) int64 {
	return int64(strings.Count(in[:off], "\n")) + 1
}

// diffRecords describes the first difference between two record lists.
func diffRecords(want, got []Record) string {
	for i := range min(len(want), len(got)) {
		w, g := want[i], got[i]
		if w.Line != g.Line || w.Offset != g.Offset || w.End != g.End || w.EndLine != g.EndLine ||
			!reflect.DeepEqual(w.Fields, g.Fields) || fmt.Sprint(w.Err) != fmt.Sprint(g.Err) {
			return fmt.Sprintf("record %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if len(want) != len(got) {
		return fmt.Sprintf("got %d records, want %d", len(got), len(want))
	}
	return ""
}

func TestResumeBadOffset(t *testing.T) {
	const in = "id,name\n1,\"a\nb\"\n2,c\n"
	tests := []struct {
		name string
		opt  Options
	}{
		{"inside the header", Options{Offset: 3, Line: 1}},
		{"mid line", Options{Offset: 10, Line: 2}},
		{"past the end", Options{Offset: int64(len(in)) + 1, Line: 4}},
		{"line before the first record", Options{Offset: 8, Line: 1}},
	}
	for _, tt := range tests {
		_, err := OpenReader("users.csv", strings.NewReader(in), int64(len(in)), tt.opt)
		if !errors.Is(err, ErrOffset) {
			t.Errorf("%s: OpenReader(%+v): %v, want ErrOffset", tt.name, tt.opt, err)
		}
		_, err = OpenReader("users.jsonl", strings.NewReader(in), int64(len(in)), tt.opt)
		if tt.name != "line before the first record" && tt.name != "inside the header" && !errors.Is(err, ErrOffset) {
			t.Errorf("%s: JSONL OpenReader(%+v): %v, want ErrOffset", tt.name, tt.opt, err)
		}
	}
	// At the end of the file: nothing left, whether or not it ends in a newline.
	for _, in := range []string{in, strings.TrimSuffix(in, "\n")} {
		r, err := OpenReader("users.csv", strings.NewReader(in), int64(len(in)), Options{Offset: int64(len(in))})
		if err != nil {
			t.Fatal(err)
		}
		if recs := readAll(t, r); len(recs) != 0 {
			t.Errorf("resume at the end read %+v", recs)
		}
	}
}
