package mapping

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// specErrorTests lists broken mapping files. « marks where each error must
// point; want holds one "field: message" substring per marker, in position
// order.
var specErrorTests = []struct {
	name string
	in   string
	want []string
}{
	{"yaml syntax", "version: 1\nkey: [a\n", []string{"invalid YAML"}},
	{"two documents", specYAML("") + "«---\nversion: 1\n", []string{"only one YAML document"}},
	{"not a mapping", "«- a\n", []string{"must be a mapping"}},
	{"unknown top key", "version: 1\nkey: id\n«feilds: {}\n", []string{`feilds: unknown key (did you mean "fields"?)`}},
	{"missing top keys", "«version: 1\n", []string{"key: is required", "fields: is required"}},
	{"bad version", "version: «2\nkey: id\nfields:\n" + requiredAll, []string{"version: unsupported version"}},
	{"empty key", "version: 1\nkey:« \nfields:\n" + requiredAll, []string{"key: must not be empty"}},
	{"bad key path", "version: 1\nkey: «a..b\nfields:\n" + requiredAll, []string{"key: is not a valid field path"}},
	{"fields not mapping", "version: 1\nkey: id\nfields: «[a]\n", []string{"fields: must be a mapping"}},
	{"unknown target", specYAML("  «Emial: {from: e}\n"), []string{`fields.Emial: unknown key (did you mean "Email"?)`}},
	{"missing required targets", "version: 1\nkey: id\nfields:\n  «Email: {from: e}\n", []string{
		"fields.UserName: is required by CreateUser", "fields.PhoneNumber: is required", "fields.Password: is required by CreateUser; map it with from, const or template, or generate: true"}},
	{"duplicate key", specYAML("  Nickname: {from: a}\n  «Nickname: {from: b}\n"), []string{"fields.Nickname: duplicate key (first defined on line 4)"}},
	{"rule is a list", specYAML("  Nickname: «[a]\n"), []string{"fields.Nickname: must be a mapping"}},
	{"broken required rule", specYAML("  Email: «[a]\n"), []string{"fields.Email: must be a mapping"}},
	{"rule is empty", specYAML("  Nickname:«\n"), []string{"fields.Nickname: must be a mapping (key: value lines), not empty"}},
	{"unknown rule key", specYAML("  Nickname: {«form: a}\n"), []string{`fields.Nickname.form: unknown key (did you mean "from"?)`}},
	{"no source", specYAML("  Nickname: «{transforms: [trim]}\n"), []string{"fields.Nickname: needs a source: from, const or template"}},
	{"several sources", specYAML("  Nickname: {from: a, «const: b}\n"), []string{"fields.Nickname: has several sources (from, const)"}},
	{"empty from", specYAML("  Nickname: {from: «\"\"}\n"), []string{"fields.Nickname.from: must not be empty"}},
	{"bad from path", specYAML("  Nickname: {from: «.a}\n"), []string{"fields.Nickname.from: is not a valid field path"}},
	{"generate on Email", specYAML("  Email: {generate: «true}\n"), []string{"fields.Email.generate: generate is only allowed on Password"}},
	{"generate false", specYAML("  Password: {generate: «false}\n"), []string{"fields.Password.generate: must be true"}},
	{"generate not bool", specYAML("  Password: {generate: «yes}\n"), []string{"fields.Password.generate: must be true or false"}},
	{"generate with transforms", specYAML("  Password: «{generate: true, transforms: [trim]}\n"), []string{"fields.Password: generate: true stands alone"}},
	{"bad template", specYAML("  Nickname: {template: «\"{{.a\"}\n"), []string{"fields.Nickname.template: cannot parse template"}},
	{"const list on text", specYAML("  Nickname: {const: «[a, b]}\n"), []string{"fields.Nickname.const: must be a single value"}},
	{"transforms not list", specYAML("  Nickname: {from: a, transforms: «trim}\n"), []string{"fields.Nickname.transforms: must be a list"}},
	{"unknown transform", specYAML("  Nickname: {from: a, transforms: [trim, «trimm]}\n"), []string{`fields.Nickname.transforms[1]: unknown transform "trimm" (did you mean "trim"?)`}},
	{"unknown transform with arg", specYAML("  Nickname: {from: a, transforms: [{«pad: 3}]}\n"), []string{`fields.Nickname.transforms[0].pad: unknown transform "pad"`}},
	{"default needs argument", specYAML("  Nickname: {from: a, transforms: [«default]}\n"), []string{"fields.Nickname.transforms[0]: default needs an argument"}},
	{"lower takes no argument", specYAML("  Nickname: {from: a, transforms: [{«lower: x}]}\n"), []string{"fields.Nickname.transforms[0].lower: lower takes no argument"}},
	{"empty trim set", specYAML("  Nickname: {from: a, transforms: [{trim: «\"\"}]}\n"), []string{"fields.Nickname.transforms[0].trim: must not be empty"}},
	{"split as transform", specYAML("  UserGroup: {from: a, transforms: [{«split: \";\"}]}\n"), []string{"split is not a transform"}},
	{"lookup as transform", specYAML("  UserGroup: {from: a, transforms: [«lookup]}\n"), []string{"lookup is not a transform"}},
	{"two-key transform", specYAML("  Nickname: {from: a, transforms: [«{default: x, truncate: 3}]}\n"), []string{"one per list item"}},
	{"bad truncate", specYAML("  Nickname: {from: a, transforms: [{truncate: «0}]}\n"), []string{"truncate: must be a whole number greater than 0"}},
	{"bad regex", specYAML("  Nickname: {from: a, transforms: [{regex_replace: {pattern: «\"(\"}}]}\n"), []string{"regex_replace.pattern: cannot compile"}},
	{"regex without pattern", specYAML("  Nickname: {from: a, transforms: [{regex_replace: «{replacement: x}}]}\n"), []string{"regex_replace: needs a pattern"}},
	{"split on text", specYAML("  Nickname: {from: a, «split: \";\"}\n"), []string{"fields.Nickname.split: split applies only to UserGroup and UserOrg"}},
	{"phone on date", specYAML("  Birthdate: {from: a, «phone: {default_region: CN}}\n"), []string{"fields.Birthdate.phone: phone applies only to text parameters"}},
	{"date on text", specYAML("  Nickname: {from: a, «date: {layout: unix}}\n"), []string{"fields.Nickname.date: date applies only to Birthdate"}},
	{"strftime layout", specYAML("  Birthdate: {from: a, date: {layout: «YYYY-MM-DD}}\n"), []string{`fields.Birthdate.date.layout: "YYYY-MM-DD" is not a Go layout`}},
	{"layout without day", specYAML("  Birthdate: {from: a, date: {layout: «2006-01}}\n"), []string{"fields.Birthdate.date.layout: \"2006-01\" is missing a year, month or day"}},
	{"bad layout in list", specYAML("  Birthdate: {from: a, date: {layout: [2006-01-02, «02/01]}}\n"), []string{"fields.Birthdate.date.layout[1]:"}},
	{"no layout", specYAML("  Birthdate: {from: a, date: «{timezone: UTC}}\n"), []string{"fields.Birthdate.date: needs a layout"}},
	{"bad timezone", specYAML("  Birthdate: {from: a, date: {layout: date, timezone: «Mars/Base}}\n"), []string{`fields.Birthdate.date.timezone: unknown time zone "Mars/Base"`}},
	{"local timezone", specYAML("  Birthdate: {from: a, date: {layout: date, timezone: «Local}}\n"), []string{"unknown time zone \"Local\""}},
	{"bad region", specYAML("  PhoneNumber: {from: a, phone: {default_region: «XX}}\n"), []string{`fields.PhoneNumber.phone.default_region: unknown region "XX"`}},
	{"bad phone format", specYAML("  PhoneNumber: {from: a, phone: {format: «intl}}\n"), []string{"fields.PhoneNumber.phone.format: must be ciam"}},
	{"unknown phone key", specYAML("  PhoneNumber: {from: a, phone: {«region: CN}}\n"), []string{"fields.PhoneNumber.phone.region: unknown key"}},
	{"lookup without table", specYAML("  UserGroup: {from: a, lookup: «{missing: drop}}\n"), []string{"fields.UserGroup.lookup: needs a table"}},
	{"empty table", specYAML("  UserGroup: {from: a, lookup: {table: «{}}}\n"), []string{"fields.UserGroup.lookup.table: must not be empty"}},
	{"table not mapping", specYAML("  UserGroup: {from: a, lookup: {table: «[a]}}\n"), []string{"fields.UserGroup.lookup.table: must be a mapping"}},
	{"bad missing mode", specYAML("  UserGroup: {from: a, lookup: {table: {a: b}, missing: «ignore}}\n"), []string{"fields.UserGroup.lookup.missing: must be reject, drop or keep"}},
	{"duplicate table key", specYAML("  UserGroup: {from: a, lookup: {table: {a: b, «a: c}}}\n"), []string{"fields.UserGroup.lookup.table.a: duplicate key"}},
	{"required false", specYAML("  Email: {from: a, required: «false}\n"), []string{"fields.Email.required: Email is always required"}},
	{"required not bool", specYAML("  Nickname: {from: a, required: «1}\n"), []string{"fields.Nickname.required: must be true or false"}},
	{"max_length over limit", specYAML("  IndexedAttribute2: {from: a, max_length: «600}\n"), []string{"fields.IndexedAttribute2.max_length: cannot exceed 512"}},
	{"max_length on list", specYAML("  UserOrg: {from: a, max_length: «5}\n"), []string{"fields.UserOrg.max_length: max_length applies only to text parameters"}},
	{"attributes not list", specYAML("  CustomizationAttributes: «{name: a}\n"), []string{"fields.CustomizationAttributes: must be a list"}},
	{"attribute without name", specYAML("  CustomizationAttributes:\n    - «{from: a}\n"), []string{"fields.CustomizationAttributes[0]: needs a name"}},
	{"attribute bad type", specYAML("  CustomizationAttributes:\n    - {name: a, from: a, type: «STRNG}\n"), []string{`fields.CustomizationAttributes[0].type: unknown type "STRNG" (did you mean "STRING"?)`}},
	{"attribute name with space", specYAML("  CustomizationAttributes:\n    - {name: «a b, from: a}\n"), []string{"fields.CustomizationAttributes[0].name: must not contain spaces"}},
	{"duplicate attribute", specYAML("  CustomizationAttributes:\n    - {name: a, from: a}\n    - «{name: a, from: b}\n"), []string{"fields.CustomizationAttributes[a]: duplicate attribute name (first defined on line 5)"}},
	{"attribute generate", specYAML("  CustomizationAttributes:\n    - {name: a, generate: «true}\n"), []string{"fields.CustomizationAttributes[a].generate: generate is only allowed on Password"}},
	{"attribute unknown key", specYAML("  CustomizationAttributes:\n    - {name: a, from: a, «typ: NUMBER}\n"), []string{`fields.CustomizationAttributes[0].typ: unknown key (did you mean "type"?)`}},
	{"anchor", "version: 1\nkey: id\nfields:\n  UserName: «&u {from: a}\n  Email: «*u\n" + requiredFields["PhoneNumber"] + requiredFields["Password"],
		[]string{"anchors, aliases and merge keys are not supported", "anchors, aliases"}},
	{"unknown hash algorithm", hashYAML("  PasswordHash: {from: h, algorithm: «argon2}\n"), []string{`fields.PasswordHash.algorithm: unknown algorithm "argon2"; CIAM accepts md5, sha1, bcrypt`}},
	{"misspelt hash algorithm", hashYAML("  PasswordHash: {from: h, algorithm: «bcrypy}\n"), []string{`unknown algorithm "bcrypy" (did you mean "bcrypt"?)`}},
	{"hash without algorithm", hashYAML("  PasswordHash: «{from: h}\n"), []string{"fields.PasswordHash: needs algorithm: md5, sha1 or bcrypt, or algorithm_from"}},
	{"hash with both algorithms", hashYAML("  PasswordHash: {from: h, algorithm: md5, «algorithm_from: t}\n"), []string{"fields.PasswordHash: has both algorithm and algorithm_from"}},
	{"hash without source", hashYAML("  PasswordHash: «{algorithm: md5}\n"), []string{"fields.PasswordHash: needs a source"}},
	{"hash const", hashYAML("  PasswordHash: {«const: x, algorithm: md5}\n"), []string{"fields.PasswordHash.const: unknown key"}},
	{"hash shorthand", hashYAML("  PasswordHash: «h\n"), []string{"fields.PasswordHash: must be a mapping"}},
	{"hash algorithm misspelt key", hashYAML("  PasswordHash: {from: h, «algoritm: md5}\n"), []string{`fields.PasswordHash.algoritm: unknown key (did you mean "algorithm"?)`}},
	{"salt on bcrypt", hashYAML("  PasswordHash: {from: h, algorithm: bcrypt, «salt: {from: s, position: head}}\n"), []string{"fields.PasswordHash.salt: bcrypt hashes carry their own salt"}},
	{"salt without position", hashYAML("  PasswordHash: {from: h, algorithm: md5, salt: «{from: s}}\n"), []string{"fields.PasswordHash.salt: needs position: head or tail, or regex"}},
	{"salt bad position", hashYAML("  PasswordHash: {from: h, algorithm: md5, salt: {from: s, position: «other}}\n"), []string{"fields.PasswordHash.salt.position: must be head or tail; for a salt elsewhere write regex"}},
	{"salt position and regex", hashYAML("  PasswordHash: {from: h, algorithm: md5, salt: {from: s, position: head, «regex: x}}\n"), []string{"fields.PasswordHash.salt: has both position and regex"}},
	{"salt without source", hashYAML("  PasswordHash: {from: h, algorithm: md5, salt: «{position: tail}}\n"), []string{"fields.PasswordHash.salt: needs a source"}},
	{"salt not mapping", hashYAML("  PasswordHash: {from: h, algorithm: md5, salt: «s}\n"), []string{"fields.PasswordHash.salt: must be a mapping"}},
	{"no password and no hash", "version: 1\nkey: id\nfields:\n  «UserName: {const: user1}\n" + requiredFields["Email"] + requiredFields["PhoneNumber"],
		[]string{"fields.Password: is required by CreateUser"}},
	{"update on Email", specYAML("  Email: {from: e, «update: true}\n"), []string{"fields.Email.update: update applies only to Password"}},
	{"update not bool", specYAML("  Password: {from: p, update: «yes}\n"), []string{"fields.Password.update: must be true or false"}},
	{"update with generate", specYAML("  Password: «{generate: true, update: true}\n"), []string{"fields.Password: generate: true stands alone"}},
	{"huge constant range", specYAML("  Nickname: {template: «\"{{range 100000000}}x{{end}}\"}\n"), []string{"fields.Nickname.template: cannot parse template: range over 100000000 exceeds the bound of 10000 steps per row"}},
	{"many errors at once", specYAML("  Nickname: {from: a, transforms: [«bogus]}\n  Birthdate: {from: b, date: {layout: «nope}}\n  «Bogus: {}\n"),
		[]string{"unknown transform", "is missing a year", "fields.Bogus: unknown key"}},
}

// requiredAll maps the four required parameters.
var requiredAll = requiredFields["UserName"] + requiredFields["Email"] + requiredFields["PhoneNumber"] + requiredFields["Password"]

func TestParseSpecErrors(t *testing.T) {
	for _, tt := range specErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			in, pos := stripMarkers(tt.in)
			_, err := Parse("m.yaml", []byte(in))
			if err == nil {
				t.Fatalf("Parse succeeded, want %q", tt.want)
			}
			got := specErrors(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, se := range got {
				checkSpecError(t, se, tt.want[i], pos, i)
			}
		})
	}
}

// checkSpecError compares one error with its expected text and marker.
func checkSpecError(t *testing.T, se *SpecError, want string, pos [][2]int, i int) {
	t.Helper()
	if se.File != "m.yaml" {
		t.Errorf("File = %q", se.File)
	}
	if !strings.Contains(se.Error(), want) {
		t.Errorf("error %d = %q, want it to contain %q", i, se.Error(), want)
	}
	if i < len(pos) && (se.Line != pos[i][0] || se.Column != pos[i][1]) {
		t.Errorf("error %d %q at %d:%d, want %d:%d", i, se.Error(), se.Line, se.Column, pos[i][0], pos[i][1])
	}
}

func TestSpecErrorFormat(t *testing.T) {
	tests := []struct {
		err  SpecError
		want string
	}{
		{SpecError{File: "m.yaml", Line: 12, Column: 5, Field: "fields.Birthdate.date.layout", Msg: "bad"}, "m.yaml:12:5: fields.Birthdate.date.layout: bad"},
		{SpecError{File: "m.yaml", Line: 3, Msg: "invalid YAML: x"}, "m.yaml:3: invalid YAML: x"},
		{SpecError{File: "m.yaml", Msg: "empty"}, "m.yaml: empty"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n"} {
		_, err := Parse("m.yaml", []byte(in))
		if err == nil || !strings.Contains(err.Error(), "m.yaml:1:1: mapping file is empty") {
			t.Fatalf("Parse(%q) = %v", in, err)
		}
	}
}

func TestParseFile(t *testing.T) {
	if _, err := ParseFile("testdata/full.yaml"); err != nil {
		t.Fatalf("ParseFile: %v", err)
	}
	if _, err := ParseFile("testdata/missing.yaml"); err == nil || !strings.HasPrefix(err.Error(), "read mapping: ") {
		t.Fatalf("ParseFile(missing) = %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":1:1: key: is required") {
		t.Fatalf("ParseFile(bad) = %v", err)
	}
}

// TestParseOnePass checks that one Parse reports every kind of problem,
// including missing columns with WithHeader, sorted by position.
func TestParseOnePass(t *testing.T) {
	in := "version: «2\nkey: id\n«colour: red\nfields:\n" +
		"  UserName: {from: «login_name, transforms: [trim, «lowercase]}\n" +
		"  «Emial: {from: email}\n" +
		"  PhoneNumber: «&p {from: mobile, phone: {«region: CN}}\n" +
		"  Password: {«form: pw}\n" +
		"  Nickname: «*p\n" +
		"  Birthdate: {from: «birthdy, date: {layout: «YYYY-MM-DD}}\n" +
		"  Address: {template: «\"{{.street\"}\n" +
		"  CustomizationAttributes:\n    - {name: a, from: a, type: «INT}\n"
	want := []string{
		"version: unsupported version",
		"colour: unknown key",
		`fields.UserName.from: column "login_name" is not in the CSV header (did you mean "login"?)`,
		"fields.UserName.transforms[1]: unknown transform",
		`fields.Emial: unknown key (did you mean "Email"?)`,
		"anchors, aliases and merge keys are not supported",
		`fields.PhoneNumber.phone.region: unknown key`,
		`fields.Password.form: unknown key (did you mean "from"?)`,
		"anchors, aliases",
		`fields.Birthdate.from: column "birthdy" is not in the CSV header (did you mean "birthday"?)`,
		`fields.Birthdate.date.layout: "YYYY-MM-DD" is not a Go layout`,
		"fields.Address.template: cannot parse template",
		`fields.CustomizationAttributes[0].type: unknown type "INT"`,
	}
	in, pos := stripMarkers(in)
	_, err := Parse("m.yaml", []byte(in), WithHeader([]string{"id", "login", "email", "mobile", "pw", "birthday", "a"}))
	got := specErrors(t, err)
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(got), len(want), err)
	}
	for i, se := range got {
		checkSpecError(t, se, want[i], pos, i)
	}
}

func TestParseMissingNotHiddenByTypos(t *testing.T) {
	// An unknown key hides only the missing key it was taken to mean.
	in := "version: 1\nkey: id\nfields:\n  «Emial: {from: e}\n  «Nickname: {form: n}\n"
	want := []string{`fields.Emial: unknown key (did you mean "Email"?)`, "fields.UserName: is required",
		"fields.PhoneNumber: is required", "fields.Password: is required", `fields.Nickname.form: unknown key`}
	in, pos := stripMarkers(in)
	got := specErrors(t, mustFail(t, in))
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(got), len(want), got)
	}
	for i, se := range got {
		p := pos[0]
		if i == len(want)-1 {
			p = [2]int{pos[1][0], pos[1][1] + len("Nickname: {")}
		} else if i > 0 {
			p = [2]int{4, 3} // the fields mapping
		}
		checkSpecError(t, se, want[i], [][2]int{p}, 0)
	}
}

// mustFail parses in and returns the error, failing the test on success.
func mustFail(t *testing.T, in string) error {
	t.Helper()
	_, err := Parse("m.yaml", []byte(in))
	if err == nil {
		t.Fatal("Parse succeeded")
	}
	return err
}
