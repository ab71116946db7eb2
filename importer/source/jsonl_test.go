package source

import (
	"encoding/json"
	"testing"
)

func TestJSONL(t *testing.T) {
	n := func(s string) json.Number { return json.Number(s) }
	tests := []struct {
		name string
		in   string
		opt  Options
		want []want
	}{{
		name: "objects, numbers and nesting",
		in:   `{"id":1,"name":"a"}` + "\n" + `{"id":2.5e3,"tags":["x",{"y":null}],"ok":true}` + "\n",
		want: []want{
			{line: 1, endLine: 2, text: `{"id":1,"name":"a"}` + "\n", fields: m("id", n("1"), "name", "a")},
			{line: 2, endLine: 3, text: `{"id":2.5e3,"tags":["x",{"y":null}],"ok":true}` + "\n",
				fields: m("id", n("2.5e3"), "tags", []any{"x", m("y", nil)}, "ok", true)},
		},
	}, {
		name: "CRLF, BOM and no newline at the end",
		in:   "\uFEFF{\"a\":1}\r\n{\"a\":2}",
		want: []want{
			{line: 1, endLine: 2, text: "{\"a\":1}\r\n", fields: m("a", n("1"))},
			{line: 2, endLine: 2, text: `{"a":2}`, fields: m("a", n("2"))},
		},
	}, {
		name: "blank lines are skipped and counted",
		in:   "\n \t\r\n{\"a\":1}\n\n\r\n{\"a\":2}\n\n",
		want: []want{
			{line: 3, endLine: 4, text: "{\"a\":1}\n", fields: m("a", n("1"))},
			{line: 6, endLine: 7, text: "{\"a\":2}\n", fields: m("a", n("2"))},
		},
	}, {
		name: "invalid JSON",
		in:   "{\"a\":x}\n{\"a\":1\n  {\"a\":1,}\n{\"a\":1} x\n{}{}\n{\"a\":3}\n",
		want: []want{
			{line: 1, endLine: 2, text: "{\"a\":x}\n", err: ErrInvalidJSON, errCol: 6},
			{line: 2, endLine: 3, text: "{\"a\":1\n", err: ErrInvalidJSON, errCol: 7},
			{line: 3, endLine: 4, text: "  {\"a\":1,}\n", err: ErrInvalidJSON, errCol: 10},
			{line: 4, endLine: 5, text: "{\"a\":1} x\n", err: ErrInvalidJSON, errCol: 9},
			{line: 5, endLine: 6, text: "{}{}\n", err: ErrInvalidJSON, errCol: 3},
			{line: 6, endLine: 7, text: "{\"a\":3}\n", fields: m("a", n("3"))},
		},
	}, {
		name: "not an object",
		in:   "[1]\n\"s\"\n 7\nnull\ntrue\n{}\n",
		want: []want{
			{line: 1, endLine: 2, text: "[1]\n", err: ErrNotObject, errCol: 1},
			{line: 2, endLine: 3, text: "\"s\"\n", err: ErrNotObject, errCol: 1},
			{line: 3, endLine: 4, text: " 7\n", err: ErrNotObject, errCol: 2},
			{line: 4, endLine: 5, text: "null\n", err: ErrNotObject, errCol: 1},
			{line: 5, endLine: 6, text: "true\n", err: ErrNotObject, errCol: 1},
			{line: 6, endLine: 7, text: "{}\n", fields: m()},
		},
	}, {
		name: "invalid UTF-8",
		in:   "{\"a\":\"\xc3\"}\n{\"a\":\"é\"}\n",
		want: []want{
			{line: 1, endLine: 2, text: "{\"a\":\"\xc3\"}\n", err: ErrInvalidUTF8, errCol: 7},
			{line: 2, endLine: 3, text: "{\"a\":\"é\"}\n", fields: m("a", "é")},
		},
	}, {
		name: "line too long",
		in:   "{\"a\":\"0123456789\"}\n{\"a\":\"012345\"}\n{\"a\":\"01234567\"}\n{\"a\":\"0123456\"}\n{\"a\":\"0123456789\"}",
		opt:  Options{MaxRecordBytes: 16},
		want: []want{
			{line: 1, endLine: 2, text: "{\"a\":\"0123456789\"}\n", err: ErrLineTooLong},
			{line: 2, endLine: 3, text: "{\"a\":\"012345\"}\n", fields: m("a", "012345")},
			{line: 3, endLine: 4, text: "{\"a\":\"01234567\"}\n", err: ErrLineTooLong},
			{line: 4, endLine: 5, text: "{\"a\":\"0123456\"}\n", fields: m("a", "0123456")},
			{line: 5, endLine: 5, text: "{\"a\":\"0123456789\"}", err: ErrLineTooLong},
		},
	}, {
		name: "empty file",
		in:   "",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{0, 1, 5} {
				opt := tt.opt
				opt.readSize = size
				r := openString(t, "users.jsonl", tt.in, opt)
				if h := r.Header(); h != nil {
					t.Errorf("Header() = %q, want nil", h)
				}
				checkRecords(t, tt.in, readAll(t, r), tt.want)
			}
		})
	}
}
