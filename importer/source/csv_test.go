package source

import (
	"slices"
	"testing"
)

func TestCSV(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		opt    Options
		header []string
		want   []want
	}{{
		name:   "LF",
		in:     "id,name\n1,a\n2,b\n",
		header: []string{"id", "name"},
		want: []want{
			{line: 2, endLine: 3, text: "1,a\n", fields: m("id", "1", "name", "a")},
			{line: 3, endLine: 4, text: "2,b\n", fields: m("id", "2", "name", "b")},
		},
	}, {
		name: "CRLF",
		in:   "id,name\r\n1,a\r\n2,\"b\"\r\n",
		want: []want{
			{line: 2, endLine: 3, text: "1,a\r\n", fields: m("id", "1", "name", "a")},
			{line: 3, endLine: 4, text: "2,\"b\"\r\n", fields: m("id", "2", "name", "b")},
		},
	}, {
		name:   "BOM stripped at the start only",
		in:     "\uFEFFid,name\n1,\uFEFFa\n",
		header: []string{"id", "name"},
		want:   []want{{line: 2, endLine: 3, text: "1,\uFEFFa\n", fields: m("id", "1", "name", "\uFEFFa")}},
	}, {
		name: "no newline at the end",
		in:   "id,name\n1,a\n2,b",
		want: []want{
			{line: 2, endLine: 3, text: "1,a\n", fields: m("id", "1", "name", "a")},
			{line: 3, endLine: 3, text: "2,b", fields: m("id", "2", "name", "b")},
		},
	}, {
		name: "quoted field closed at the end with a lone CR",
		in:   "id,name\n1,\"a\"\r",
		want: []want{{line: 2, endLine: 2, text: "1,\"a\"\r", fields: m("id", "1", "name", "a")}},
	}, {
		name: "blank lines are skipped and counted",
		in:   "\n\r\nid,name\n\n1,a\n\r\n\n2,b\n\n\r",
		want: []want{
			{line: 5, endLine: 6, text: "1,a\n", fields: m("id", "1", "name", "a")},
			{line: 8, endLine: 9, text: "2,b\n", fields: m("id", "2", "name", "b")},
		},
	}, {
		name: "quoted delimiters, quotes and newlines",
		in:   "id,note\n1,\"a,b\nc \"\"d\"\"\r\ne\"\n2,x\n",
		want: []want{
			{line: 2, endLine: 5, text: "1,\"a,b\nc \"\"d\"\"\r\ne\"\n", fields: m("id", "1", "note", "a,b\nc \"d\"\ne")},
			{line: 5, endLine: 6, text: "2,x\n", fields: m("id", "2", "note", "x")},
		},
	}, {
		name: "empty and space fields",
		in:   "a,b,c\n,,\n\"\", ,\"\"\n",
		want: []want{
			{line: 2, endLine: 3, text: ",,\n", fields: m("a", "", "b", "", "c", "")},
			{line: 3, endLine: 4, text: "\"\", ,\"\"\n", fields: m("a", "", "b", " ", "c", "")},
		},
	}, {
		name: "field count",
		in:   "id,name\n1\n2,b,x\n \n3,c\n",
		want: []want{
			{line: 2, endLine: 3, text: "1\n", fields: m("id", "1"), err: ErrFieldCount},
			{line: 3, endLine: 4, text: "2,b,x\n", fields: m("id", "2", "name", "b"), err: ErrFieldCount},
			{line: 5, endLine: 6, text: "3,c\n", fields: m("id", "3", "name", "c")},
		},
	}, {
		name: "bare quote",
		in:   "id,name\n1,a\"b\n2,c\n",
		want: []want{
			{line: 2, endLine: 3, text: "1,a\"b\n", err: ErrBadQuote, errCol: 4},
			{line: 3, endLine: 4, text: "2,c\n", fields: m("id", "2", "name", "c")},
		},
	}, {
		name: "extraneous quote",
		in:   "id,name\n1,\"a\"b\n1,\"a\"\rb\r\n2,c\n",
		want: []want{
			{line: 2, endLine: 3, text: "1,\"a\"b\n", err: ErrBadQuote, errCol: 5},
			{line: 3, endLine: 4, text: "1,\"a\"\rb\r\n", err: ErrBadQuote, errCol: 5},
			{line: 4, endLine: 5, text: "2,c\n", fields: m("id", "2", "name", "c")},
		},
	}, {
		name: "quote not closed at the end",
		in:   "id,name\n1,a\n2,\"b",
		want: []want{
			{line: 2, endLine: 3, text: "1,a\n", fields: m("id", "1", "name", "a")},
			{line: 3, endLine: 3, text: "2,\"b", err: ErrBadQuote, errCol: 3},
		},
	}, {
		// A stray opening quote would swallow the lines up to the next
		// quote; the record is cut at its first line instead.
		name: "stray quote costs one line",
		in:   "id,name\n1,\"bob\n2,alice\n3,\"carol\",x\n4,dave\n",
		want: []want{
			{line: 2, endLine: 3, text: "1,\"bob\n", err: ErrBadQuote, errCol: 3},
			{line: 3, endLine: 4, text: "2,alice\n", fields: m("id", "2", "name", "alice")},
			{line: 4, endLine: 5, text: "3,\"carol\",x\n", fields: m("id", "3", "name", "carol"), err: ErrFieldCount},
			{line: 5, endLine: 6, text: "4,dave\n", fields: m("id", "4", "name", "dave")},
		},
	}, {
		name: "stray quote to the end of the file",
		in:   "id,name\n1,\"bob\n2,alice\n",
		want: []want{
			{line: 2, endLine: 3, text: "1,\"bob\n", err: ErrBadQuote, errCol: 3},
			{line: 3, endLine: 4, text: "2,alice\n", fields: m("id", "2", "name", "alice")},
		},
	}, {
		name: "invalid UTF-8 names the column",
		in:   "id,name\n1,a\xffb\n2,\"x\ny\xfe\"\n3,c\n",
		want: []want{
			{line: 2, endLine: 3, text: "1,a\xffb\n", fields: m("id", "1", "name", "a\xffb"),
				err: ErrInvalidUTF8, errCol: 3, errField: "name"},
			{line: 3, endLine: 5, text: "2,\"x\ny\xfe\"\n", fields: m("id", "2", "name", "x\ny\xfe"),
				err: ErrInvalidUTF8, errCol: 3, errField: "name"},
			{line: 5, endLine: 6, text: "3,c\n", fields: m("id", "3", "name", "c")},
		},
	}, {
		name: "record too long",
		in:   "id,name\n1,aaaaaaaaaaaaaaaaaaaa\n2,bbbbbbbbb\n3,bbbbbbbbbb\n4,b",
		opt:  Options{MaxRecordBytes: 12},
		want: []want{
			{line: 2, endLine: 3, text: "1,aaaaaaaaaaaaaaaaaaaa\n", err: ErrLineTooLong},
			{line: 3, endLine: 4, text: "2,bbbbbbbbb\n", fields: m("id", "2", "name", "bbbbbbbbb")},
			{line: 4, endLine: 5, text: "3,bbbbbbbbbb\n", err: ErrLineTooLong},
			{line: 5, endLine: 5, text: "4,b", fields: m("id", "4", "name", "b")},
		},
	}, {
		name: "quoted record too long resumes at its second line",
		in:   "id,name\n1,\"aaa\nb,bbbbbbb\nccc\"\n2,d\n",
		opt:  Options{MaxRecordBytes: 12},
		want: []want{
			{line: 2, endLine: 3, text: "1,\"aaa\n", err: ErrLineTooLong, errCol: 3},
			{line: 3, endLine: 4, text: "b,bbbbbbb\n", fields: m("id", "b", "name", "bbbbbbb")},
			{line: 4, endLine: 5, text: "ccc\"\n", err: ErrBadQuote, errCol: 4},
			{line: 5, endLine: 6, text: "2,d\n", fields: m("id", "2", "name", "d")},
		},
	}, {
		name:   "tab",
		in:     "id\tname\n1\t\"a\tb\"\n",
		opt:    Options{Delimiter: '\t'},
		header: []string{"id", "name"},
		want:   []want{{line: 2, endLine: 3, text: "1\t\"a\tb\"\n", fields: m("id", "1", "name", "a\tb")}},
	}, {
		name:   "semicolon",
		in:     "id;name\n1;a,b\n",
		opt:    Options{Delimiter: ';'},
		header: []string{"id", "name"},
		want:   []want{{line: 2, endLine: 3, text: "1;a,b\n", fields: m("id", "1", "name", "a,b")}},
	}, {
		name:   "header only",
		in:     "id,name\n",
		header: []string{"id", "name"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{0, 1, 5} {
				opt := tt.opt
				opt.readSize = size
				r := openString(t, "users.csv", tt.in, opt)
				if tt.header != nil && !slices.Equal(r.Header(), tt.header) {
					t.Errorf("Header() = %q, want %q", r.Header(), tt.header)
				}
				checkRecords(t, tt.in, readAll(t, r), tt.want)
				if err := r.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
