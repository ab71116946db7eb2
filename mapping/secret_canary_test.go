package mapping

import (
	"errors"
	"strings"
	"testing"
)

// canary is a secret routed through every rule kind; no error may quote it.
const canary = "CANARY-9f2e71d0-secret"

// canaryCases map a row whose every column holds the canary (or a value
// built from it) and must fail.
var canaryCases = []struct{ name, fields string }{
	{"password control", "  Password: pw_nul\n"},
	{"password template range", "  Password: {template: \"{{range .pw}}{{end}}\"}\n"},
	{"password template if/with", "  Password: {template: \"{{with .pw}}{{.x}}{{end}}\"}\n"},
	{"password template compare", "  Password: {template: \"{{if lt .pw 1}}x{{end}}\"}\n"},
	{"password template call", "  Password: {template: \"{{call .pw}}\"}\n"},
	{"password template field of string", "  Password: {template: \"{{.pw.x}}\"}\n"},
	{"password template upper of number", "  Password: {template: \"{{upper .num}}\"}\n"},
	{"password template output bound", "  Password: {template: \"{{range .list}}{{printf \\\"%0050000s\\\" $.pw}}{{end}}\"}\n"},
	{"password regex_replace then control", "  Password: {from: pw, transforms: [{regex_replace: {pattern: \"-\", replacement: \"\\u0000\"}}]}\n"},
	{"password truncate then lookup", "  Password: {from: pw, transforms: [{truncate: 8}], lookup: {table: {a: b}}}\n"},
	{"password lookup", "  Password: {from: pw, lookup: {table: {a: b}}}\n"},
	{"password phone", "  Password: {from: pw, phone: {default_region: CN}}\n"},
	{"password length", "  Password: {from: pw, max_length: 5}\n"},
	{"password list value", "  Password: list\n"},
	{"password bad utf8", "  Password: pw_utf8\n"},
	{"hash shape", "  PasswordHash: {from: pw, algorithm: bcrypt}\n"},
	{"hash md5 shape", "  PasswordHash: {from: pw, algorithm: md5}\n"},
	{"hash template", "  PasswordHash: {template: \"{{range .pw}}{{end}}\", algorithm: md5}\n"},
	{"hash algorithm column", "  PasswordHash: {from: md5, algorithm_from: pw}\n"},
	{"salt control", "  PasswordHash: {from: md5, algorithm: md5, salt: {from: pw_nul, position: head}}\n"},
	{"salt template", "  PasswordHash: {from: md5, algorithm: md5, salt: {template: \"{{range .pw}}{{end}}\", position: head}}\n"},
	{"salt on bcrypt", "  PasswordHash: {from: bcrypt, algorithm_from: {const: bcrypt}, salt: {from: pw, position: tail}}\n"},
	{"nickname template over the secret", "  Nickname: {template: \"{{range .pw}}{{end}}\"}\n"},
	{"nickname template compare", "  Nickname: {template: \"{{if eq .pw 1}}x{{end}}\"}\n"},
	{"email from the secret", "  Email: pw\n"},
	{"phone from the secret", "  PhoneNumber: pw\n"},
	{"user name from the secret", "  UserName: pw_nul\n"},
	{"birthdate from the secret", "  Birthdate: {from: pw, date: {layout: date}}\n"},
	{"group lookup over the secret", "  UserGroup: {from: pw, split: \";\", lookup: {table: {a: b}}}\n"},
	{"attribute number from the secret", "  CustomizationAttributes:\n    - {name: n, from: pw, type: NUMBER}\n"},
	{"attribute boolean from the secret", "  CustomizationAttributes:\n    - {name: b, from: pw, type: BOOLEAN}\n"},
	{"indexed length", "  IndexedAttribute1: {from: pw, max_length: 3}\n"},
	{"key from the secret", "  Nickname: n\n"},
}

func TestSecretCanary(t *testing.T) {
	list := make([]any, 3)
	row := Row{"pw": canary, "pw_nul": canary + "\x00", "pw_utf8": canary + "\xff", "num": jsonNumber("12"),
		"list": []any{canary}, "md5": testMD5, "bcrypt": testBcrypt, "n": "x"}
	for i := range list {
		list[i] = canary
	}
	row["list"] = list
	for _, tt := range canaryCases {
		t.Run(tt.name, func(t *testing.T) {
			yaml := specYAML(tt.fields)
			if strings.Contains(tt.fields, "PasswordHash") {
				yaml = hashYAML(tt.fields)
			}
			if tt.name == "key from the secret" {
				yaml = strings.Replace(yaml, "key: id", "key: pw_nul", 1)
			}
			s, err := Parse("canary.yaml", []byte(yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			r := Row{"id": "1"}
			for k, v := range row {
				r[k] = v
			}
			u, err := s.Map(r)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Map = %+v, %v; want a row error", u, err)
			}
			for _, part := range []string{canary, "9f2e71d0"} {
				if strings.Contains(err.Error(), part) || strings.Contains(fe.Source, part) {
					t.Fatalf("error quotes the secret: %s", err)
				}
			}
		})
	}
}

func TestTemplateReason(t *testing.T) {
	tests := []struct {
		msg    string
		secret bool
		want   string
	}{
		{`template: P:1:8: executing "P" at <.pw>: range can't iterate over hunter2`, false, "template failed at <.pw>: range can't iterate over this value"},
		{`template: P:1:8: executing "P" at <.pw>: range can't iterate over hunter2`, true, "template failed at <.pw>: cannot be evaluated (details withheld: the value is secret)"},
		{`template: P:1:2: executing "P" at <.a>: map has no entry for key "a"`, false, `template failed at <.a>: map has no entry for key "a"`},
		{`template: P:1:2: executing "P" at <.a>: map has no entry for key "a"`, true, `template failed at <.a>: map has no entry for key "a"`},
		{`template: P:1:5: executing "P" at <.a>: if/with can't use hunter2`, true, "template failed at <.a>: cannot be evaluated (details withheld: the value is secret)"},
		{`template: P:1:2: executing "P" at <upper .n>: wrong type for value; expected string; got json.Number`, false, "template failed at <upper .n>: wrong type for value; expected string; got json.Number"},
		{`template: P:1:5: executing "P" at <lt .pw 1>: error calling lt: incompatible types for comparison`, false, "template failed at <lt .pw 1>: error calling lt: cannot compare these values"},
		{`template: P:1:5: executing "P" at <slice .a 9>: error calling slice: index out of range: 9`, false, "template failed at <slice .a 9>: error calling slice"},
		{`template: P:1:5: executing "P" at <.a>: if/with can't use hunter2`, false, "template failed at <.a>: if/with can't use this value"},
		{`template: P:1:5: executing "P" at <.a>: something new about hunter2`, false, "template failed at <.a>: cannot be evaluated"},
		{"not a template error: hunter2", false, "template failed: cannot be evaluated"},
	}
	for _, tt := range tests {
		if got := templateReason(errors.New(tt.msg), tt.secret); got != tt.want {
			t.Errorf("templateReason(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
