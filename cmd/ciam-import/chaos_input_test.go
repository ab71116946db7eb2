package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/mapping"
)

// chaosMapping maps the columns of sourcetest exports. The phone number is
// always normalised and checked by libphonenumber, which refuses the numbers
// sourcetest draws from unallocated Chinese prefixes (140x, 154x, 16xx, ...):
// about a quarter of the rows are rejected locally, which the checker
// expects (it asks package mapping which ones).
const chaosMapping = `version: 1
key: legacy_id
fields:
  UserName: { from: login, transforms: [trim, lower], max_length: 64 }
  Email: { from: email, transforms: [trim, lower] }
  PhoneNumber:
    from: mobile
    phone: { default_region: CN, format: ciam }
  Password: { from: password }
  Nickname:
    template: "{{.first_name}} {{.last_name}}"
    transforms: [collapse_spaces, {truncate: 32}]
  UserGroup:
    from: groups
    split: ";"
    transforms: [trim, lower, {default: customers}]
    lookup:
      missing: reject
      table:
        admins: 6cd22e51a1b24c0f9d8e7f6a5b4c3d21
        staff: 8bee9039509c4c3c80b26fbb8cacedb9
        customers: 2f1e0d9c8b7a46958473625140fedcba
  Birthdate:
    from: birthday
    date: { layout: ["2006-01-02"], timezone: Asia/Shanghai }
  CustomizationAttributes:
    - { name: department, from: dept, transforms: [trim] }
`

// legacyAttrLine stores the legacy id in IndexedAttribute1, so reconciliation
// looks rows up by it; without it, by user name, email and phone number.
const legacyAttrLine = "  IndexedAttribute1: legacy_id\n"

// wantRow is what the checker knows about one input row.
type wantRow struct {
	line        int64
	key         string
	userName    string
	email       string
	phone       string
	password    string // as in the input
	rejectField string // "" for a row that must end created
}

// chaosInput is a generated export, its mapping, and what each row must become.
type chaosInput struct {
	path, mapping string
	legacyAttr    bool
	rows          []wantRow
	byLine        map[int64]*wantRow
	valid         int
	lastLine      int64
}

// writeChaosInput writes n sourcetest rows (as CSV, or JSON Lines) and the
// mapping into dir and works out, with package mapping, which rows are valid.
func writeChaosInput(t *testing.T, dir string, n int, seed int64, legacyAttr, jsonl bool) *chaosInput {
	t.Helper()
	write, name := sourcetest.WriteCSV, "users.csv"
	if jsonl {
		write, name = sourcetest.WriteJSONL, "users.jsonl"
	}
	in := &chaosInput{path: filepath.Join(dir, name), mapping: filepath.Join(dir, "mapping.yaml"),
		legacyAttr: legacyAttr, byLine: map[int64]*wantRow{}}
	f, err := os.Create(in.path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	if err := write(bw, n, seed); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(bw.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
	m := chaosMapping
	if legacyAttr {
		m += legacyAttrLine
	}
	if err := os.WriteFile(in.mapping, []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	in.expect(t)
	if len(in.rows) != n {
		t.Fatalf("read %d rows back from the input, wrote %d", len(in.rows), n)
	}
	return in
}

// expect maps every row as the importer will.
func (in *chaosInput) expect(t *testing.T) {
	t.Helper()
	spec, err := mapping.ParseFile(in.mapping)
	if err != nil {
		t.Fatal(err)
	}
	if got := spec.LegacyIDAttribute(); (got == 1) != in.legacyAttr {
		t.Fatalf("mapping's legacy id attribute is %d, want it set: %v", got, in.legacyAttr)
	}
	src, err := source.Open(in.path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || rec.Err != nil {
			t.Fatalf("read input: %v %v", err, rec.Err)
		}
		in.add(spec, rec)
	}
	for i := range in.rows {
		in.byLine[in.rows[i].line] = &in.rows[i]
	}
}

func (in *chaosInput) add(spec *mapping.Spec, rec source.Record) {
	w := wantRow{line: rec.Line, key: rec.Fields["legacy_id"].(string), password: rec.Fields["password"].(string)}
	u, err := spec.Map(rec.Fields)
	var fe *mapping.FieldError
	switch {
	case errors.As(err, &fe):
		w.rejectField = fe.Field
	case err != nil:
		w.rejectField = "?" + err.Error()
	default:
		w.userName, w.email, w.phone = u.UserName, u.Email, u.PhoneNumber
		in.valid++
	}
	in.lastLine = max(in.lastLine, rec.EndLine)
	in.rows = append(in.rows, w)
}
