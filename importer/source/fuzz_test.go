package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are inputs for both fuzzers.
var fuzzSeeds = []string{
	trickyCSV, trickyJSONL,
	"id,name\n1,a\n", "a;b\r\n\"x;\"\"y\"\";z\r\n", "a\tb\n1\t\"2\n3\"\n\n",
	"a\n\"", "a\n\"\"\"", "a,b\n\"x\"\r", "a\n\r\r\n", "a\n1\"", "{\"a\":[1,{\"b\":null}]}\n\n[]\n",
}

// FuzzCSV checks that any input is read without panics into records that
// tile the file with right line numbers; that resuming at any End reads the
// same records as reading through; that input encoding/csv reads without
// error is read the same; and that quote errors are where encoding/csv puts
// them.
func FuzzCSV(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), byte(0), uint8(0))
		f.Add([]byte(s), byte(1), uint8(30))
	}
	f.Fuzz(func(t *testing.T, data []byte, delim byte, small uint8) {
		in := string(data)
		opt := Options{Delimiter: rune(",;\t"[delim%3]), MaxRecordBytes: int(small), readSize: 512}
		r, err := OpenReader("f.csv", strings.NewReader(in), int64(len(in)), opt)
		if err != nil {
			if !errors.Is(err, ErrHeader) && !errors.Is(err, ErrFormat) && !errors.As(err, new(*RecordError)) {
				t.Fatalf("OpenReader: unexpected error %v", err)
			}
			return
		}
		start := r.(*csvReader).fr.w.off
		all := readAll(t, r)
		checkPositions(t, in, start, all)
		opt.readSize = 3
		if d := diffRecords(all, readAll(t, openString(t, "f.csv", in, opt))); d != "" {
			t.Fatalf("reading 3 bytes at a time: %s", d)
		}
		opt.readSize = 512
		assertResumes(t, "f.csv", in, opt, all, 1+len(all)/32)
		assertCursors(t, "f.csv", in, opt, all, 1+len(all)/32)
		for _, rec := range all {
			checkQuoteError(t, in, opt, rec)
		}
		if small == 0 {
			compareCSV(t, in, opt, r.Header(), all)
		}
	})
}

// assertCursors checks that every stride-th record's Next, and the last
// ones', reopens in at the record after it, cursors included.
func assertCursors(t *testing.T, name, in string, opt Options, all []Record, stride int) {
	t.Helper()
	for i, rec := range all {
		if i%stride != 0 && i < len(all)-stride {
			continue
		}
		if d := diffCursors(all[i+1:], readAll(t, openCursorString(t, name, in, opt, rec.Next))); d != "" {
			t.Fatalf("Open(Next of record %d, %q): %s", i, rec.Next, d)
		}
	}
}

// checkQuoteError checks that a quote error found on a record's only line
// is the one encoding/csv reports for that line.
func checkQuoteError(t *testing.T, in string, opt Options, rec Record) {
	var re *RecordError
	if !errors.As(rec.Err, &re) || errors.Is(re, errSpans) || errors.Is(re, errUnclosed) ||
		!errors.Is(re, ErrBadQuote) {
		return
	}
	if errors.Is(re, errFraming) {
		t.Fatalf("framing disagrees with encoding/csv: %v", re)
	}
	cr := csv.NewReader(strings.NewReader(in[rec.Offset:rec.End]))
	cr.Comma = opt.Delimiter
	cr.FieldsPerRecord = -1
	_, err := cr.Read()
	var pe *csv.ParseError
	if !errors.As(err, &pe) || !errors.Is(re, pe.Err) || pe.Column != re.Column || pe.Line != 1 {
		t.Fatalf("record %q: error %v, encoding/csv says %v", in[rec.Offset:rec.End], re, err)
	}
}

// compareCSV checks that input encoding/csv reads without error, as valid
// UTF-8, gives the same header, fields and lines.
func compareCSV(t *testing.T, in string, opt Options, header []string, all []Record) {
	in = strings.TrimPrefix(in, "\uFEFF")
	if !utf8.ValidString(in) {
		return
	}
	want, err := readCSVSkippingBlank(in, opt.Delimiter)
	if err != nil || len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(want[0], header) {
		t.Fatalf("header %q, encoding/csv reads %q", header, want[0])
	}
	if len(all) != len(want)-1 {
		t.Fatalf("%d records, encoding/csv reads %d", len(all), len(want)-1)
	}
	for i, rec := range all {
		fields := want[i+1][:min(len(header), len(want[i+1]))]
		m := make(map[string]any)
		for j, v := range fields {
			m[header[j]] = v
		}
		if !reflect.DeepEqual(rec.Fields, m) || (rec.Err == nil) != (len(want[i+1]) == len(header)) {
			t.Fatalf("record %d: %v %v, encoding/csv reads %q", i, rec.Fields, rec.Err, want[i+1])
		}
	}
}

// readCSVSkippingBlank reads in with encoding/csv, leaving out the records
// of lines of only blanks, which this package skips.
func readCSVSkippingBlank(in string, delim rune) ([][]string, error) {
	cr := csv.NewReader(strings.NewReader(in))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	var out [][]string
	for before := int64(0); ; {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		after := cr.InputOffset()
		raw := strings.ReplaceAll(in[before:after], "\r\n", "\n")
		if after == int64(len(in)) {
			raw = strings.TrimSuffix(raw, "\r")
		}
		if strings.Trim(raw, " \t\n") != "" {
			out = append(out, rec)
		}
		before = after
	}
}

// FuzzJSONL checks that any input is read without panics into records that
// tile the file with right line numbers, one per non-blank line, decoded as
// encoding/json does; and that resuming at any End reads the same records as
// reading through.
func FuzzJSONL(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(20))
	}
	f.Fuzz(func(t *testing.T, data []byte, small uint8) {
		in := string(data)
		opt := Options{MaxRecordBytes: int(small), readSize: 512}
		all := readAll(t, openString(t, "f.jsonl", in, opt))
		checkPositions(t, in, 0, all)
		opt.readSize = 3
		if d := diffRecords(all, readAll(t, openString(t, "f.jsonl", in, opt))); d != "" {
			t.Fatalf("reading 3 bytes at a time: %s", d)
		}
		opt.readSize = 512
		assertResumes(t, "f.jsonl", in, opt, all, 1+len(all)/32)
		for _, rec := range all {
			compareJSON(t, strings.TrimPrefix(in[rec.Offset:rec.End], "\uFEFF"), opt, rec)
		}
	})
}

// compareJSON checks rec, read from line, against encoding/json.
func compareJSON(t *testing.T, line string, opt Options, rec Record) {
	if max := opt.MaxRecordBytes; max > 0 && len(line) > max {
		if !errors.Is(rec.Err, ErrLineTooLong) {
			t.Fatalf("line %q over %d bytes: %v", line, max, rec.Err)
		}
		return
	}
	if isBlank([]byte(line)) {
		t.Fatalf("blank line %q read as a record", line)
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var want map[string]any
	err := dec.Decode(&want)
	_, err2 := dec.Token()
	good := err == nil && want != nil && err2 == io.EOF && utf8.ValidString(line) &&
		bytes.HasPrefix(bytes.TrimLeft([]byte(line), " \t\r"), []byte("{"))
	if good != (rec.Err == nil) || (good && !reflect.DeepEqual(rec.Fields, want)) {
		t.Fatalf("line %q: read %v, %v; encoding/json: %v, %v, %v", line, rec.Fields, rec.Err, want, err, err2)
	}
}
