package source

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding"
)

// encodeAs returns s in the encoding called name.
func encodeAs(t testing.TB, name, s string) string {
	t.Helper()
	c, err := lookupCodec(name)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case c.utf16:
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			if c.bigEndian {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
		return string(b)
	case c.enc == nil:
		return s
	}
	out, err := encoding.ReplaceUnsupported(c.enc.NewEncoder()).String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEncodings(t *testing.T) {
	tests := []struct {
		enc, name string // encoding, and a name with a character '\n', ',' or '"' bytes may hide in
		bom       string
	}{
		{EncodingGBK, "张三丰", ""},
		{EncodingGB18030, "张三丰€𠀀", ""},
		{EncodingBig5, "張三豐", ""},
		{EncodingShiftJIS, "ソース表", ""},
		{EncodingEUCKR, "홍길동", ""},
		{EncodingLatin1, "José Müller", ""},
		{EncodingWindows1252, "José “Zoë” €", ""},
		{EncodingUTF16LE, "上海 𠀀 張", ""},
		{EncodingUTF16BE, "上海 𠀀 張", ""},
		{EncodingUTF16, "上海 𠀀 張", "\uFEFF"},
		{"", "上海 𠀀 張", "\uFEFF"}, // UTF-16LE found by its BOM
		{EncodingUTF8, "上海 𠀀 張", ""},
	}
	for _, tt := range tests {
		for _, format := range []string{"csv", "jsonl"} {
			enc := tt.enc
			if enc == "" {
				enc = EncodingUTF16LE
			}
			text := "id,name\n1,\"" + tt.name + "\"\n\n2," + tt.name + "\r\n3,x\n"
			if format == "jsonl" {
				text = "{\"id\":\"1\",\"name\":\"" + tt.name + "\"}\n\n{\"id\":\"2\",\"name\":\"" + tt.name + "\"}\r\n{\"id\":\"3\",\"name\":\"x\"}"
			}
			in := encodeAs(t, enc, tt.bom+text)
			f := newFile(t, "users."+format, []byte(in), Options{Encoding: tt.enc})
			all := readFrom(t, f, "")
			if len(all) != 3 {
				t.Fatalf("%s %s: %d records, want 3: %+v", tt.enc, format, len(all), all)
			}
			for i, rec := range all {
				want := tt.name
				if i == 2 {
					want = "x"
				}
				if rec.Err != nil || rec.Fields["name"] != want {
					t.Errorf("%s %s: record %d: %v %v, want name %q", tt.enc, format, i, rec.Fields, rec.Err, want)
				}
				if d := diffCursors(all[i+1:], readFrom(t, f, rec.Next)); d != "" {
					t.Errorf("%s %s: Open(Next of record %d): %s", tt.enc, format, i, d)
				}
			}
			// Offsets are the file's: the last record is "3,x" encoded.
			last := all[2]
			if got := in[last.Offset:last.End]; !strings.Contains(got, encodeAs(t, enc, "3")) || last.End != int64(len(in)) {
				t.Errorf("%s %s: last record at [%d,%d) = %q", tt.enc, format, last.Offset, last.End, got)
			}
			r, err := f.Reread([]string{all[1].ID, all[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, r)
			r.Close()
			all[0].Next, all[1].Next = "", ""
			if d := diffCursors([]Record{all[1], all[0]}, got); d != "" {
				t.Errorf("%s %s: Reread: %s", tt.enc, format, d)
			}
		}
	}
}

func TestEncodingErrors(t *testing.T) {
	gbk := func(s string) string { return encodeAs(t, EncodingGBK, s) }
	tests := []struct {
		name, file, in string
		opt            Options
		openErr        error  // from Open
		recErr         error  // of the first record
		says           string // in the error
	}{
		{"GBK row read as UTF-8", "u.csv", "id,name\n1," + gbk("张三") + "\n", Options{}, nil, ErrInvalidUTF8, `u.csv:2:3: field "name": invalid UTF-8 (looks like GB18030`},
		{"GBK header read as UTF-8", "u.csv", gbk("编号,姓名") + "\n1,2\n", Options{}, ErrInvalidUTF8, nil, "pass --encoding gb18030"},
		{"GBK JSONL read as UTF-8", "u.jsonl", `{"name":"` + gbk("张三") + `"}`, Options{}, nil, ErrInvalidUTF8, "u.jsonl:1:10: invalid UTF-8 (looks like GB18030"},
		{"invalid GBK", "u.csv", "id,name\n1,\x81\x20x\n", Options{Encoding: "GBK"}, nil, ErrInvalidEncoding, `u.csv:2:3: field "name": invalid text in the input encoding: not valid gbk`},
		{"invalid GBK in JSONL", "u.jsonl", "{\"a\":\"\x81\x20\"}\n", Options{Encoding: "gbk"}, nil, ErrInvalidEncoding, "u.jsonl:1:7:"},
		{"lone surrogate", "u.csv", encodeAs(t, "utf-16le", "id,name\n1,") + "\x00\xD8" + encodeAs(t, "utf-16le", "x\n"), Options{Encoding: "utf-16le"}, nil, ErrInvalidEncoding, `u.csv:2:3: field "name"`},
		{"utf-16 without BOM", "u.csv", encodeAs(t, "utf-16le", "id\n1\n"), Options{Encoding: "utf-16"}, errAny, nil, "pass --encoding utf-16le or utf-16be"},
		{"UTF-16 without BOM read as UTF-8", "u.jsonl", encodeAs(t, "utf-16le", "{\"a\":\"\xe4\xb8\x8a\"}") + "\n", Options{}, nil, ErrInvalidJSON, "u.jsonl:1:"},
		{"BOM against the encoding", "u.csv", "\xFF\xFEi\x00d\x00", Options{Encoding: "gbk"}, errAny, nil, "utf-16le byte order mark, but the encoding is gbk"},
		{"unknown encoding", "u.csv", "id\n", Options{Encoding: "ebcdic"}, errAny, nil, `unknown encoding "ebcdic"`},
		{"| in GBK", "u.csv", "id|name\n", Options{Encoding: "gbk", Delimiter: '|'}, errAny, nil, "can be the second byte of a gbk character"},
		{"CR-only lines", "u.csv", "id,name\r1,a\r2,b\r", Options{}, ErrFormat, nil, "u.csv:1: unknown format: the lines end in a lone CR"},
		{"CR-only JSONL", "u.jsonl", "{\"a\":1}\r{\"a\":2}\r", Options{}, ErrFormat, nil, "lone CR"},
		{"semicolons", "u.csv", "id;name;email\n1;a;b\n", Options{}, ErrHeader, nil, `u.csv:1: bad header: the header is one column "id;name;email", which holds ';' 2 times: the delimiter is likely ';', not ',': pass --delimiter ';'`},
		{"tabs", "u.csv", "id\tname\n1\ta\n", Options{}, ErrHeader, nil, `pass --delimiter '\t'`},
		{"commas in a .tsv", "u.tsv", "id,name\n1,a\n", Options{}, ErrHeader, nil, `pass --delimiter ','`},
	}
	for _, tt := range tests {
		r, err := OpenReader(tt.file, strings.NewReader(tt.in), int64(len(tt.in)), tt.opt)
		if tt.openErr != nil {
			if err == nil || tt.openErr != errAny && !errors.Is(err, tt.openErr) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("%s: OpenReader: %v, want %v saying %q", tt.name, err, tt.openErr, tt.says)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: OpenReader: %v", tt.name, err)
			continue
		}
		recs := readAll(t, r)
		if len(recs) == 0 || !errors.Is(recs[0].Err, tt.recErr) || !strings.Contains(recs[0].Err.Error(), tt.says) {
			t.Errorf("%s: records %+v, want the first with %v saying %q", tt.name, recs, tt.recErr, tt.says)
		}
	}
}

// errAny stands for any error in a table.
var errAny = errors.New("any error")

func TestWhitespaceLines(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		{"u.csv", " \t\nid,name\n  \n\t\r\n1,a\n \t \n2,b\n   "},
		{"u.tsv", "id\tname\n\t\n1\ta\n\t\t\r\n2\tb\n"},
		{"u.jsonl", " \n{\"id\":\"1\"}\n\t\r\n{\"id\":\"2\"}\n  "},
	} {
		recs := readAll(t, openString(t, tt.name, tt.in, Options{}))
		start := 0
		if !strings.HasSuffix(tt.name, ".jsonl") {
			start = strings.Index(tt.in, "name\n") + 5
		}
		checkPositions(t, tt.in, int64(start), recs)
		if len(recs) != 2 || recs[0].Err != nil || recs[1].Err != nil || recs[0].Fields["id"] != "1" || recs[1].Fields["id"] != "2" {
			t.Errorf("%s: %+v, want records 1 and 2", tt.name, recs)
		}
	}
}
