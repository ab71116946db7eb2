package mapping

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// fullRow is a good row for testdata/full.yaml.
func fullRow() Row {
	return Row{
		"legacy_id": " U1 ", "login": " Zhang.Wei ", "email": " Zhang.Wei@Example.COM ",
		"mobile": "138-0013-8000", "password": testPassword, "first_name": "Wei", "last_name": "Zhang",
		"address": "Room 1203,\n Building 5", "groups": "Admins; staff;;guests", "birthday": "1990-05-17",
		"employee_no": "e-123", "dept": " R&D ", "vip_level": "", "newsletter": "Y",
	}
}

func TestMapFull(t *testing.T) {
	s, err := ParseFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Map(fullRow())
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	birth := int64(642870000000) // 1990-05-17T00:00:00+09:00 (China used DST in 1990)
	want := &User{
		Key: "U1", UserName: "zhang.wei", Email: "zhang.wei@example.com", PhoneNumber: "+86-13800138000",
		Password: u.Password, Nickname: "Wei Zhang", Address: "Room 1203, Building 5",
		UserGroup: []string{"6cd22e51a1b24c0f9d8e7f6a5b4c3d21", "8bee9039509c4c3c80b26fbb8cacedb9"},
		UserOrg:   []string{"org-1", "org-2"}, Birthdate: &birth, BirthDay: "1990-05-17",
		CustomizationAttributes: []Attribute{
			{Name: "department", Value: "R&D", Type: "STRING"},
			{Name: "vip", Value: "0", Type: "NUMBER"},
			{Name: "newsletter", Value: "true", Type: "BOOLEAN"},
		},
		IndexedAttributes: [5]string{"U1", "E123", "batch-2024"},
	}
	if !reflect.DeepEqual(u, want) {
		t.Fatalf("Map =\n%+v\nwant\n%+v", u, want)
	}
	if u.Password.Reveal() != testPassword {
		t.Fatal("password not copied")
	}
}

func TestMapOptionalNotSent(t *testing.T) {
	s, err := ParseFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	row := fullRow()
	for _, k := range []string{"address", "groups", "birthday", "employee_no", "dept", "newsletter"} {
		delete(row, k)
	}
	u, err := s.Map(row)
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	if u.Address != "unknown" || u.Birthdate != nil || u.IndexedAttributes[1] != "" ||
		len(u.UserGroup) != 1 || len(u.CustomizationAttributes) != 1 {
		t.Fatalf("Map = %+v", u)
	}
}

// fieldErrorTests: each case maps row through a spec with fields (see
// specYAML) and expects a FieldError.
var fieldErrorTests = []struct {
	name, fields string
	row          Row
	field, src   string
	reason       string
	err          error
}{
	{"key missing", "", Row{"id": nil}, "key", "id", "is empty", ErrEmpty},
	{"key blank", "", Row{"id": "  "}, "key", "id", "is empty", ErrEmpty},
	{"key list", "", Row{"id": []any{"a"}}, "key", "id", "is a list", ErrInvalid},
	{"key bad utf8", "", Row{"id": "\xff"}, "key", "id", "not valid UTF-8", ErrInvalid},
	{"user name empty", "  UserName: {from: u, transforms: [trim]}\n", Row{"u": " "}, "UserName", "u", "is empty", ErrEmpty},
	{"user name spaces", "  UserName: u\n", Row{"u": "zhang wei"}, "UserName", "u", "must not contain spaces", ErrInvalid},
	{"user name control", "  UserName: u\n", Row{"u": "a\x01"}, "UserName", "u", "control character", ErrInvalid},
	{"user name too long", "  UserName: {from: u, max_length: 5}\n", Row{"u": "abcdef"}, "UserName", "u", "longer than 5 characters", ErrTooLong},
	{"user name over default", "  UserName: u\n", Row{"u": strings.Repeat("a", 129)}, "UserName", "u", "longer than 128", ErrTooLong},
	{"email missing", "  Email: e\n", Row{}, "Email", "e", "is empty", ErrEmpty},
	{"email invalid", "  Email: e\n", Row{"e": "not-an-email"}, "Email", "e", "not a valid email address", ErrInvalid},
	{"email display name", "  Email: e\n", Row{"e": "Bob <bob@example.com>"}, "Email", "e", "not a valid email address", ErrInvalid},
	{"email no dot", "  Email: e\n", Row{"e": "bob@localhost"}, "Email", "e", "not a valid email address", ErrInvalid},
	{"email two ats", "  Email: e\n", Row{"e": "a@b@example.com"}, "Email", "e", "not a valid email address", ErrInvalid},
	{"email space", "  Email: e\n", Row{"e": "a b@example.com"}, "Email", "e", "not a valid email address", ErrInvalid},
	{"phone missing", "  PhoneNumber: {from: p, phone: {default_region: CN}}\n", Row{}, "PhoneNumber", "p", "is empty", ErrEmpty},
	{"phone invalid", "  PhoneNumber: {from: p, phone: {default_region: CN}}\n", Row{"p": "12345"}, "PhoneNumber", "p", "not a valid phone number", ErrInvalid},
	{"phone letters", "  PhoneNumber: {from: p, phone: {default_region: CN}}\n", Row{"p": "call me"}, "PhoneNumber", "p", "not a valid phone number", ErrInvalid},
	{"phone no region", "  PhoneNumber: p\n", Row{"p": "13800138000"}, "PhoneNumber", "p", "no +country code", ErrInvalid},
	{"phone extension", "  PhoneNumber: p\n", Row{"p": "+1 201-555-0123 ext. 12"}, "PhoneNumber", "p", "extension", ErrInvalid},
	{"password empty", "  Password: pw\n", Row{"pw": ""}, "Password", "pw", "is empty", ErrEmpty},
	{"text from list", "  Nickname: n\n", Row{"n": []any{"a"}}, "Nickname", "n", "is a list", ErrInvalid},
	{"text from object", "  Nickname: n\n", Row{"n": map[string]any{"a": "b"}}, "Nickname", "n", "is an object", ErrInvalid},
	{"text bad utf8", "  Nickname: n\n", Row{"n": "a\xffb"}, "Nickname", "n", "not valid UTF-8", ErrInvalid},
	{"optional required", "  Address: {from: a, required: true}\n", Row{}, "Address", "a", "is empty", ErrEmpty},
	{"template missing field", "  Nickname: {template: \"{{.first}} {{.last}}\"}\n", Row{"first": "a"}, "Nickname", "template", `source field "last" is missing`, ErrInvalid},
	{"template piped missing", "  Nickname: {template: \"{{.first | upper}}\"}\n", Row{}, "Nickname", "template", `source field "first" is missing`, ErrInvalid},
	{"slow template missing", "  Nickname: {template: \"{{with .first}}{{.}}{{end}}\"}\n", Row{}, "Nickname", "template", `map has no entry for key "first"`, ErrInvalid},
	{"slow template type error", "  Nickname: {template: \"{{upper .n}}\"}\n", Row{"n": jsonNumber("1")}, "Nickname", "template", "wrong type", ErrInvalid},
	{"group not in table", "  UserGroup: {from: g, split: \";\", lookup: {table: {a: A}}}\n", Row{"g": "a;zzz"}, "UserGroup", "g", "element 2 is not in the lookup table", ErrNotInTable},
	{"group required", "  UserGroup: {from: g, required: true}\n", Row{"g": ""}, "UserGroup", "g", "is empty", ErrEmpty},
	{"group nested list", "  UserGroup: g\n", Row{"g": []any{[]any{"a"}}}, "UserGroup", "g", "element 1 is a list", ErrInvalid},
	{"group object", "  UserGroup: g\n", Row{"g": map[string]any{}}, "UserGroup", "g", "is an object", ErrInvalid},
	{"group bad utf8", "  UserOrg: g\n", Row{"g": "\xff"}, "UserOrg", "g", "not valid UTF-8", ErrInvalid},
	{"text lookup miss", "  Address: {from: a, lookup: {table: {x: y}}}\n", Row{"a": "q"}, "Address", "a", "not in the lookup table", ErrNotInTable},
	{"bad date", "  Birthdate: {from: b, date: {layout: date}}\n", Row{"b": "1990-02-30"}, "Birthdate", "b", "not a date in the expected layout", ErrInvalid},
	{"date out of range", "  Birthdate: {from: b, date: {layout: date}}\n", Row{"b": "0001-01-01"}, "Birthdate", "b", "out of range", ErrInvalid},
	{"date fraction", "  Birthdate: b\n", Row{"b": 1.5}, "Birthdate", "b", "not a whole number", ErrInvalid},
	{"date object", "  Birthdate: b\n", Row{"b": map[string]any{}}, "Birthdate", "b", "is an object", ErrInvalid},
	{"date required", "  Birthdate: {from: b, required: true}\n", Row{}, "Birthdate", "b", "is empty", ErrEmpty},
	{"indexed too long", "  IndexedAttribute3: x\n", Row{"x": strings.Repeat("长", 513)}, "IndexedAttribute3", "x", "longer than 512 characters", ErrTooLong},
	{"attribute number", "  CustomizationAttributes:\n    - {name: vip, from: v, type: NUMBER}\n", Row{"v": "gold"}, "CustomizationAttributes[vip]", "v", "not a number", ErrInvalid},
	{"attribute hex number", "  CustomizationAttributes:\n    - {name: vip, from: v, type: NUMBER}\n", Row{"v": "0x10"}, "CustomizationAttributes[vip]", "v", "not a number", ErrInvalid},
	{"attribute boolean", "  CustomizationAttributes:\n    - {name: ok, from: v, type: BOOLEAN}\n", Row{"v": "Y"}, "CustomizationAttributes[ok]", "v", `must be "true" or "false"`, ErrInvalid},
	{"attribute required", "  CustomizationAttributes:\n    - {name: d, from: v, required: true}\n", Row{}, "CustomizationAttributes[d]", "v", "is empty", ErrEmpty},
}

func TestMapFieldErrors(t *testing.T) {
	for _, tt := range fieldErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, tt.fields)
			row := Row{"id": "row-1"}
			for k, v := range tt.row {
				row[k] = v
			}
			u, err := s.Map(row)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Map = %+v, %v; want *FieldError", u, err)
			}
			if u != nil || fe.Field != tt.field || fe.Source != tt.src || !strings.Contains(fe.Reason, tt.reason) || !errors.Is(err, tt.err) {
				t.Fatalf("Map error = %#v, want field %q source %q reason ~%q err %v", fe, tt.field, tt.src, tt.reason, tt.err)
			}
			assertNoValues(t, err, tt.row)
		})
	}
}

// assertNoValues checks that an error message quotes no row value or
// password.
func assertNoValues(t *testing.T, err error, row Row) {
	t.Helper()
	msg := err.Error()
	if strings.Contains(msg, testPassword) {
		t.Fatalf("error leaks the password: %s", msg)
	}
	for _, v := range row {
		if s, ok := v.(string); ok && len(strings.TrimSpace(s)) > 3 && strings.Contains(msg, s) {
			t.Fatalf("error %q quotes the value %q", msg, s)
		}
	}
}

func TestFieldErrorFormat(t *testing.T) {
	tests := []struct {
		err  FieldError
		want string
	}{
		{FieldError{Field: "Email", Source: "email", Reason: "not a valid email address"}, "Email (source email): not a valid email address"},
		{FieldError{Field: "key", Reason: "is empty"}, "key: is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMapFirstErrorWins(t *testing.T) {
	s := mustSpec(t, "  UserName: u\n  Email: e\n")
	_, err := s.Map(Row{"id": "1", "u": "a b", "e": "bad"})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "UserName" {
		t.Fatalf("Map error = %v, want UserName first", err)
	}
}

// The birthday's calendar date is kept in the mapping's zone: the import
// job's Birthdate is a date, and midnight in Shanghai is the evening
// before in UTC.
func TestMapKeepsTheBirthDayOfTheZone(t *testing.T) {
	for _, tt := range []struct{ rule, want string }{
		{"  Birthdate: {from: b, date: {layout: date, timezone: Asia/Shanghai}}\n", "1990-05-01"},
		{"  Birthdate: {from: b, date: {layout: date}}\n", "1990-05-01"},
	} {
		spec, err := Parse("m.yaml", []byte("version: 1\nkey: id\nfields:\n  UserName: id\n  Email: e\n  PhoneNumber: p\n  Password: pw\n"+tt.rule))
		if err != nil {
			t.Fatal(err)
		}
		u, err := spec.Map(Row{"id": "K1", "e": "a@example.com", "p": "+86 13800000000", "pw": "Passw0rd!", "b": "1990-05-01"})
		if err != nil {
			t.Fatal(err)
		}
		if u.BirthDay != tt.want {
			t.Errorf("%s: BirthDay %q, want %q", tt.rule, u.BirthDay, tt.want)
		}
	}
}
