package sqlsrc

import (
	"errors"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
)

func TestRenderValue(t *testing.T) {
	tests := []struct {
		r        render
		in, want string
	}{
		{asIs, "12345678901234567890.1234567890", "12345678901234567890.1234567890"},
		{asBool, "t", "true"},
		{asBool, "f", "false"},
		{asLocal, "2024-03-01 12:30:45", "2024-03-01T12:30:45"},
		{asLocal, "2024-03-01 12:30:45.5", "2024-03-01T12:30:45.5"},
		{asInstant, "2024-03-01 04:30:45.123456+00", "2024-03-01T04:30:45.123456Z"},
		{asInstant, "2024-03-01 04:30:45+05:30", "2024-03-01T04:30:45+05:30"},
		{asInstant, "2024-03-01 04:30:45-08", "2024-03-01T04:30:45-08:00"},
		{asInstant, "2024-03-01 04:30:45.000000", "2024-03-01T04:30:45.000000Z"}, // MySQL TIMESTAMP in UTC
		{asInstant, "infinity", "infinity"},
		{asInstant, "0044-03-15 12:00:00+00 BC", "0044-03-15 12:00:00+00 BC"},
		{asLocal, "0000-00-00 00:00:00", "0000-00-00 00:00:00"},
		{asInstant, "", ""},
	}
	for _, tc := range tests {
		if got := renderValue(tc.r, tc.in); got != tc.want {
			t.Errorf("render %d %q = %q, want %q", tc.r, tc.in, got, tc.want)
		}
	}
}

func TestCompareKeys(t *testing.T) {
	ordered := map[keyClass][]string{
		keyInt:  {"-100", "-99", "-1", "0", "1", "9", "10", "18446744073709551615"},
		keyText: {"", "A", "U-002", "a", "u-001", "zoë", "Ω"},
		keyUUID: {"00000000-0000-0000-0000-000000000000", "0a000000-0000-0000-0000-000000000000", "ffffffff-0000-0000-0000-000000000000"},
	}
	for c, keys := range ordered {
		for i := range keys {
			for j := range keys {
				want := 0
				if i < j {
					want = -1
				} else if i > j {
					want = 1
				}
				if got := compareKeys(c, keys[i], keys[j]); got != want {
					t.Errorf("%s: compare %q %q = %d, want %d", c, keys[i], keys[j], got, want)
				}
			}
		}
	}
}

func TestCursor(t *testing.T) {
	good := []position{
		{n: 1, class: keyInt, key: "-42", sum: 1, summed: true},
		{n: 99, class: keyText, key: "a:b:c\nd", sum: 1<<64 - 1, summed: true},
		{n: 7, class: keyText, key: "", summed: true},
		{n: 3, class: keyUUID, key: "0a1b2c3d-0000-4000-8000-00000000abcd", sum: 0xabc, summed: true},
	}
	for _, p := range good {
		got, err := parseCursor(p.cursor(), p.class)
		if err != nil || got != p {
			t.Errorf("round trip %+v: %+v, %v", p, got, err)
		}
	}
	// A cursor of version 1 (no checksum) is still read, its resume
	// checking the count only.
	v1 := map[string]position{
		"sqlsrc:1:5:int:-5":     {n: 5, class: keyInt, key: "-5"},
		"sqlsrc:1:2:text:a:b:c": {n: 2, class: keyText, key: "a:b:c"},
		"sqlsrc:1:1:text:":      {n: 1, class: keyText, key: ""},
	}
	for c, want := range v1 {
		if got, err := parseCursor(c, want.class); err != nil || got != want {
			t.Errorf("version 1 cursor %q: %+v, %v; want %+v", c, got, err, want)
		}
	}
	bad := []struct {
		cursor string
		class  keyClass
		is     error
	}{
		{"123", keyInt, source.ErrCursor},
		{"sqlsrc:1:0:int:5", keyInt, source.ErrCursor},
		{"sqlsrc:1:x:int:5", keyInt, source.ErrCursor},
		{"sqlsrc:1:5:float:5", keyInt, source.ErrCursor},
		{"sqlsrc:1:5:int:05", keyInt, source.ErrCursor},
		{"sqlsrc:1:5:int:5; DROP TABLE users", keyInt, source.ErrCursor},
		{"sqlsrc:1:5:uuid:not-a-uuid", keyUUID, source.ErrCursor},
		{"sqlsrc:2:5:int:5", keyInt, source.ErrCursor},
		{"sqlsrc:2:5:00000000000000zz:int:5", keyInt, source.ErrCursor},
		{"sqlsrc:2:5:123:int:5", keyInt, source.ErrCursor},
		{"sqlsrc:3:5:0000000000000001:int:5", keyInt, source.ErrCursor},
		{"sqlsrc:2:5:0000000000000001:int:5", keyText, source.ErrChanged},
		{"sqlsrc:1:5:int:5", keyText, source.ErrChanged},
	}
	for _, tc := range bad {
		if _, err := parseCursor(tc.cursor, tc.class); !errors.Is(err, tc.is) {
			t.Errorf("parse %q: %v, want %v", tc.cursor, err, tc.is)
		}
	}
}

func TestIdentity(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{DSN: "postgres://alice@DB.example/crm?sslmode=require", Table: "users", Key: "id"},
			"postgres db.example:5432/crm table users key id"},
		{Config{DSN: "postgresql://db.example:5433/crm", Table: "crm.users", Key: "id"},
			"postgres db.example:5433/crm table crm.users key id"},
		{Config{DSN: "mysql://bob@[::1]/legacy", Table: "users", Key: "login"},
			"mysql [::1]:3306/legacy table users key login"},
		{Config{DSN: "mariadb://bob@db/legacy", Query: "SELECT * FROM users;", Key: "id"},
			"mysql db:3306/legacy query sha256:"},
	}
	for _, tc := range tests {
		cfg, err := tc.cfg.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		tg, err := parseDSN(cfg.DSN)
		if err != nil {
			t.Fatal(err)
		}
		s := &Source{cfg: cfg, t: tg}
		if got := s.makeIdentity(); !strings.HasPrefix(got, tc.want) || strings.Contains(got, "alice") || strings.Contains(got, "bob") {
			t.Errorf("identity %q, want %q", got, tc.want)
		}
	}
	q := func(query string) string {
		cfg, _ := Config{DSN: "mysql://db/x", Query: query, Key: "id"}.withDefaults()
		tg, _ := parseDSN(cfg.DSN)
		return (&Source{cfg: cfg, t: tg}).makeIdentity()
	}
	if q("SELECT * FROM users") != q("SELECT * FROM users;\n") || q("SELECT * FROM users") == q("SELECT * FROM users2") {
		t.Error("a query's identity must change with the query, not a trailing semicolon")
	}
}

func TestConfigErrors(t *testing.T) {
	bad := []Config{
		{Table: "t", Key: "k"},
		{DSN: "postgres://h/db", Key: "k"},
		{DSN: "postgres://h/db", Table: "t", Query: "SELECT 1", Key: "k"},
		{DSN: "postgres://h/db", Table: "t"},
		{DSN: "postgres://h/db", Table: "t", Key: "k", PageSize: -1},
		{DSN: "postgres://h/db", Table: "t", Key: "k", PasswordFile: "/nonexistent/pw"},
		{DSN: "oracle://h/db", Table: "t", Key: "k"},
		{DSN: "postgres://h", Table: "t", Key: "k"},
	}
	for _, cfg := range bad {
		if _, err := Open(t.Context(), cfg); err == nil {
			t.Errorf("Open(%+v): no error", cfg)
		}
	}
}

// A page gives back each row's values as they were added, NULL as empty,
// whatever the buffer's first size.
func TestRowsGiveBackEachRow(t *testing.T) {
	in := [][][]byte{
		{[]byte("1"), []byte("王小明"), nil},
		{[]byte("2"), {}, []byte("x")},
		{[]byte("30"), []byte("a,b"), []byte("")},
	}
	for _, size := range []int{0, 1, 1000} {
		rs := newRows(5, 3, len(in), size)
		for _, r := range in {
			rs.add(r)
		}
		if rs.n != len(in) || rs.first != 5 {
			t.Fatalf("size %d: %d rows from %d", size, rs.n, rs.first)
		}
		vals := make([][]byte, 3)
		for i := len(in) - 1; i >= 0; i-- { // any order
			got := rs.row(i, vals)
			for j := range got {
				if string(got[j]) != string(in[i][j]) {
					t.Errorf("size %d: row %d value %d = %q, want %q", size, i, j, got[j], in[i][j])
				}
			}
		}
	}
}
