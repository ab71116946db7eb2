package source

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// openString opens in as a file called name.
func openString(t testing.TB, name, in string, opt Options) Reader {
	t.Helper()
	r, err := OpenReader(name, strings.NewReader(in), int64(len(in)), opt)
	if err != nil {
		t.Fatalf("OpenReader(%q): %v", name, err)
	}
	return r
}

// readAll reads r to the end. Any error other than io.EOF fails the test.
func readAll(t testing.TB, r Reader) []Record {
	t.Helper()
	var recs []Record
	for range 1 << 20 {
		rec, err := r.Next()
		if err == io.EOF {
			if _, err := r.Next(); err != io.EOF {
				t.Fatalf("Next after io.EOF: %v, want io.EOF", err)
			}
			return recs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		recs = append(recs, rec)
	}
	t.Fatal("Next never returned io.EOF")
	return nil
}

// want is the expected record in a table test: text is in[Offset:End].
type want struct {
	line, endLine int64
	text          string
	fields        map[string]any
	err           error // sentinel; nil for a good record
	errLine       int64 // 0: the record's line
	errCol        int
	errField      string
}

// checkRecords compares recs, read from in, with ws.
func checkRecords(t *testing.T, in string, recs []Record, ws []want) {
	t.Helper()
	if len(recs) != len(ws) {
		for _, r := range recs {
			t.Logf("got %+v", r)
		}
		t.Fatalf("got %d records, want %d", len(recs), len(ws))
	}
	for i, w := range ws {
		checkRecord(t, i, in, recs[i], w)
	}
}

func checkRecord(t *testing.T, i int, in string, r Record, w want) {
	t.Helper()
	text := in[r.Offset:r.End]
	if r.Line != w.line || r.EndLine != w.endLine || text != w.text {
		t.Errorf("record %d at line %d..%d %q, want line %d..%d %q", i, r.Line, r.EndLine, text, w.line, w.endLine, w.text)
	}
	if !reflect.DeepEqual(r.Fields, w.fields) {
		t.Errorf("record %d (line %d) fields %#v, want %#v", i, r.Line, r.Fields, w.fields)
	}
	if w.err == nil {
		if r.Err != nil {
			t.Errorf("record %d (line %d): unexpected error %v", i, r.Line, r.Err)
		}
		return
	}
	var re *RecordError
	if !errors.As(r.Err, &re) || !errors.Is(r.Err, w.err) {
		t.Errorf("record %d (line %d): error %v, want a *RecordError matching %v", i, r.Line, r.Err, w.err)
		return
	}
	if w.errLine == 0 {
		w.errLine = w.line
	}
	if re.Line != w.errLine || re.Column != w.errCol || re.Field != w.errField {
		t.Errorf("record %d: error at %d:%d field %q, want %d:%d field %q (%v)",
			i, re.Line, re.Column, re.Field, w.errLine, w.errCol, w.errField, re)
	}
}

// m builds a record's fields from key, value pairs.
func m(kv ...any) map[string]any {
	f := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		f[kv[i].(string)] = kv[i+1]
	}
	return f
}
