package source

import (
	"errors"
	"strings"
	"testing"
)

// openCursorString opens in, a file called name, at cursor cur.
func openCursorString(t testing.TB, name, in string, opt Options, cur string) Reader {
	t.Helper()
	s, err := newSrc(name, strings.NewReader(in), int64(len(in)), opt, nil)
	if err != nil {
		t.Fatalf("newSrc(%q): %v", name, err)
	}
	r, err := s.openCursor(cur)
	if err != nil {
		t.Fatalf("open %q at %q: %v", name, cur, err)
	}
	return r
}

// fuzzEncodings are the encodings FuzzCursor reads its input in.
var fuzzEncodings = []string{EncodingUTF8, EncodingGB18030, EncodingUTF16LE, EncodingUTF16BE}

// FuzzCursor checks, for any input read as CSV or JSONL in UTF-8, GB18030
// or UTF-16, that every record's Next reopens the input at the record after
// it with the same records and cursors; that reading 3 bytes at a time
// gives the same records and cursors; that IDs are the records' offsets,
// which tile the file; and that Reread of every ID gives the same records.
func FuzzCursor(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), uint8(0), false)
		f.Add([]byte(s), uint8(2), true)
	}
	f.Add([]byte("\xff\xfei\x00d\x00\n\x00\n\x001\x00\n\x00\x00\xd8\n\x00\x0aN"), uint8(0), false)
	f.Fuzz(func(t *testing.T, data []byte, enc uint8, jsonl bool) {
		in, name := string(data), "f.csv"
		if jsonl {
			name = "f.jsonl"
		}
		opt := Options{Encoding: fuzzEncodings[int(enc)%len(fuzzEncodings)], MaxRecordBytes: 64, readSize: 512}
		s, err := newSrc(name, strings.NewReader(in), int64(len(in)), opt, nil)
		if err != nil {
			return // a BOM against the encoding
		}
		r, err := s.openCursor("")
		if err != nil {
			if !errors.Is(err, ErrHeader) && !errors.Is(err, ErrFormat) && !errors.As(err, new(*RecordError)) {
				t.Fatalf("open: unexpected error %v", err)
			}
			return
		}
		all := readAll(t, r)
		checkIDs(t, in, s, all)
		opt.readSize = 3
		if d := diffCursors(all, readAll(t, openCursorString(t, name, in, opt, ""))); d != "" {
			t.Fatalf("reading 3 bytes at a time: %s", d)
		}
		opt.readSize = 512
		assertCursors(t, name, in, opt, all, 1+len(all)/32)
		checkReread(t, s, all)
	})
}

// checkIDs checks that records are in order, inside the file, with IDs
// their offsets and Pos their ends; and, in UTF-16, at code unit bounds.
func checkIDs(t *testing.T, in string, s *src, all []Record) {
	t.Helper()
	prev := s.bom
	for i, rec := range all {
		if rec.Offset < prev || rec.End <= rec.Offset || rec.End > int64(len(in)) || rec.Pos != rec.End || rec.Next == "" {
			t.Fatalf("record %d: [%d,%d) Pos %d Next %q after %d of %d bytes", i, rec.Offset, rec.End, rec.Pos, rec.Next, prev, len(in))
		}
		if s.codec.utf16 && (rec.Offset%2 != 0 || rec.End%2 != 0 && rec.End != int64(len(in))) {
			t.Fatalf("record %d: [%d,%d) splits a UTF-16 code unit", i, rec.Offset, rec.End)
		}
		prev = rec.End
	}
}

// checkReread checks that rereading every record of all, last first, reads
// the same records with no cursor.
func checkReread(t *testing.T, s *src, all []Record) {
	t.Helper()
	ids := make([]string, len(all))
	for i, rec := range all {
		ids[len(all)-1-i] = rec.ID
	}
	r, err := s.reread(ids)
	if err != nil {
		t.Fatalf("reread: %v", err)
	}
	got := readAll(t, r)
	for i := range got {
		want := all[len(all)-1-i]
		want.Next = ""
		if d := diffCursors([]Record{want}, got[i:i+1]); d != "" {
			t.Fatalf("reread of ID %s: %s", want.ID, d)
		}
	}
}
