package sqlsrc

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
)

// A resume checks the rows up to its cursor: rows inserted or deleted
// there (which it would never read) refuse it with ErrChanged; changes
// after the cursor, and rows changed in place before it, do not. A
// version 1 cursor (no checksum) is checked by its count only.
func TestResumeChecksTheRowsPassed(t *testing.T) {
	const (
		insertBefore = "INSERT INTO %s VALUES ('a5', 'new')"
		deleteBefore = "DELETE FROM %s WHERE k = 'a'"
	)
	tests := []struct {
		name   string
		v1     bool     // resume from the version 1 form of the cursor
		change []string // statements, %s the table
		want   error    // nil: the rest, d and e, is read
	}{
		{name: "unchanged"},
		{name: "inserted after", change: []string{"INSERT INTO %s VALUES ('zz', 'new')"}},
		{name: "deleted after", change: []string{"DELETE FROM %s WHERE k = 'e'"}},
		{name: "updated in place before", change: []string{"UPDATE %s SET v = 'changed' WHERE k = 'a'"}},
		{name: "inserted before", change: []string{insertBefore}, want: source.ErrChanged},
		{name: "inserted at the start", change: []string{"INSERT INTO %s VALUES ('0', 'new')"}, want: source.ErrChanged},
		{name: "deleted before", change: []string{deleteBefore}, want: source.ErrChanged},
		{name: "cursor row deleted", change: []string{"DELETE FROM %s WHERE k = 'c'"}, want: source.ErrChanged},
		{name: "deleted and inserted before", change: []string{deleteBefore, insertBefore}, want: source.ErrChanged},
		{name: "key changed before", change: []string{"UPDATE %s SET k = 'a5' WHERE k = 'a'"}, want: source.ErrChanged},
		{name: "v1 unchanged", v1: true},
		{name: "v1 inserted before", v1: true, change: []string{insertBefore}, want: source.ErrChanged},
		{name: "v1 deleted and inserted before (count only)", v1: true, change: []string{deleteBefore, insertBefore}},
	}
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					table := newTable("passed")
					s.exec(t, "CREATE TABLE "+table+" (k varchar(20) PRIMARY KEY, v varchar(20))",
						"INSERT INTO "+table+" VALUES ('a', '1'), ('b', '2'), ('c', '3'), ('d', '4'), ('e', '5')")
					src := s.open(t, Config{Table: table, Key: "k", PageSize: 2})
					all := readAll(t, mustOpen(t, src, ""))
					cursor := all[2].Next
					if tc.v1 {
						cursor = "sqlsrc:1:3:text:c"
					}
					for _, st := range tc.change {
						s.exec(t, fmt.Sprintf(st, table))
					}
					r, err := src.Open(cursor)
					if tc.want != nil {
						if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), `keys up to "c"`) {
							t.Fatalf("resume: %v, want %v naming the resume point", err, tc.want)
						}
						t.Log(err)
						return
					}
					if err != nil {
						t.Fatalf("resume: %v", err)
					}
					rest := readAll(t, r)
					if got := ids(rest); len(got) < 1 || got[0] != "d" {
						t.Fatalf("resumed ids %q, want d first", got)
					}
					if tc.change == nil && rest[0].Next != all[3].Next {
						t.Errorf("cursor after the resume %q, want %q (as a read from the start)", rest[0].Next, all[3].Next)
					}
				})
			}
		})
	}
}

// The servers' checksum of the keys agrees with the reader's for every
// key type and character set: a resume at any row of an unchanged table is
// accepted (a disagreement would refuse every resume).
func TestResumeChecksumAgreesWithTheServer(t *testing.T) {
	keys := map[string][]struct{ typ, values string }{
		"postgres": {
			{"bigint", "(-9223372036854775808), (-5), (0), (7), (9223372036854775807)"},
			{"text", "('zoë'), ('a b '), ('Ω-1'), ('x:y'), ('')"},
			{"char(6)", "('ab'), ('zoë'), ('a b')"},
			{"uuid", "('0a1b2c3d-0000-4000-8000-00000000abcd'), ('ffffffff-ffff-ffff-ffff-ffffffffffff')"},
		},
		"mariadb": {
			{"bigint", "(-9223372036854775808), (-5), (0), (7), (9223372036854775807)"},
			{"bigint unsigned", "(0), (18446744073709551615)"},
			{"varchar(20) CHARACTER SET utf8mb4", "('zoë'), ('a b '), ('Ω-1'), ('x:y'), ('')"},
			{"varchar(20) CHARACTER SET latin1", "('zoë'), ('é'), ('plain')"},
			{"char(6)", "('ab'), ('zoë'), ('a b')"},
		},
	}
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			for _, k := range keys[s.name] {
				t.Run(k.typ, func(t *testing.T) {
					table := newTable("sums")
					s.exec(t, "CREATE TABLE "+table+" (k "+k.typ+" PRIMARY KEY)", "INSERT INTO "+table+" VALUES "+k.values)
					src := s.open(t, Config{Table: table, Key: "k", PageSize: 2})
					all := readAll(t, mustOpen(t, src, ""))
					if len(all) != strings.Count(k.values, "(") {
						t.Fatalf("%d rows read", len(all))
					}
					for i, rec := range all {
						rest, err := src.Open(rec.Next)
						if err != nil {
							t.Fatalf("resume after %q: %v", rec.ID, err)
						}
						if got, want := ids(readAll(t, rest)), ids(all[i+1:]); !slices.Equal(got, want) {
							t.Errorf("resume after %q: ids %q, want %q", rec.ID, got, want)
						}
					}
				})
			}
		})
	}
}

// mustOpen opens src at cursor, failing the test on an error.
func mustOpen(t *testing.T, src *Source, cursor string) source.Reader {
	t.Helper()
	r, err := src.Open(cursor)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
