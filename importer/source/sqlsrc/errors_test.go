package sqlsrc

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// TestOpenRefuses checks what Open refuses, before any row: binary
// columns, NULL keys, keys of other types, missing key, duplicate names.
func TestOpenRefuses(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := s.createUsers(t)
			tests := []struct {
				name   string
				cfg    Config
				is     error
				column string // the column a *ColumnError must name
			}{
				{"bytea selected", Config{Table: table, Key: "id"}, ErrBinaryColumn, "avatar"},
				{"NULL key", Config{Query: "SELECT " + usersColumns + " FROM " + table, Key: "email"}, ErrNullKey, "email"},
				{"date key", Config{Query: "SELECT " + usersColumns + " FROM " + table, Key: "born"}, ErrKeyType, "born"},
				{"no key column", Config{Query: "SELECT id FROM " + table, Key: "login"}, source.ErrHeader, ""},
				{"duplicate column", Config{Query: "SELECT id, email, email FROM " + table, Key: "id"}, source.ErrHeader, ""},
			}
			for _, tc := range tests {
				_, err := s.try(tc.cfg)
				var ce *ColumnError
				switch {
				case s.name == "mariadb" && tc.name == "duplicate column" && err != nil:
					// MariaDB refuses a derived table with two columns of one name itself.
				case !errors.Is(err, tc.is):
					t.Errorf("%s: %v, want %v", tc.name, err, tc.is)
				case tc.column != "" && (!errors.As(err, &ce) || ce.Column != tc.column):
					t.Errorf("%s: %v does not name column %q", tc.name, err, tc.column)
				}
			}
		})
	}
}

// TestDuplicateKey checks that a key seen twice stops the read with an
// error naming it, inside a page and across a page boundary, after the
// rows before it.
func TestDuplicateKey(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := s.createUsers(t)
			q := "SELECT email AS mail, id FROM " + table + " WHERE email IS NOT NULL"
			for _, size := range []int{1, 2, 3, 100} { // mails: omega, wang, wang, zoe
				src := s.open(t, Config{Query: q, Key: "mail", PageSize: size})
				r, err := src.Open("")
				if err != nil {
					t.Fatal(err)
				}
				recs, err := readErr(r)
				var de *DuplicateKeyError
				if !errors.As(err, &de) || de.Value != "wang@example.com" || de.Key != "mail" || de.Row != 2 ||
					!strings.Contains(err.Error(), `"mail"`) {
					t.Fatalf("page %d: %v", size, err)
				}
				if len(recs) > 2 {
					t.Errorf("page %d: %d records before the error, want at most 2", size, len(recs))
				}
			}
		})
	}
}

// TestColumnsChanged checks that a resumed read of a table whose columns
// changed since Open fails with source.ErrChanged.
func TestColumnsChanged(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := newTable("alter")
			s.exec(t, "CREATE TABLE "+table+" (k integer PRIMARY KEY, v text)", "INSERT INTO "+table+" VALUES (1, 'a'), (2, 'b')")
			src := s.open(t, Config{Table: table, Key: "k"})
			s.exec(t, "ALTER TABLE "+table+" ADD COLUMN w text")
			r, err := src.Open("")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := readErr(r); !errors.Is(err, source.ErrChanged) {
				t.Fatalf("read after ALTER: %v, want ErrChanged", err)
			}
			if _, err := src.Open(position{n: 1, class: keyText, key: "1"}.cursor()); !errors.Is(err, source.ErrChanged) {
				t.Errorf("text cursor on an int key: %v, want ErrChanged", err)
			}
		})
	}
}

// TestCredentials checks the password paths: from the environment, from a
// file, wrong, and in the DSN; and that neither the password nor the user
// is in the identity or an error.
func TestCredentials(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := newTable("cred")
			s.exec(t, "CREATE TABLE "+table+" (k integer PRIMARY KEY)")
			file := filepath.Join(t.TempDir(), "pw")
			if err := os.WriteFile(file, []byte(sqltest.Password+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			wrong := filepath.Join(t.TempDir(), "wrong")
			if err := os.WriteFile(wrong, []byte("not-"+sqltest.Password), 0o600); err != nil {
				t.Fatal(err)
			}
			user := strings.TrimPrefix(strings.SplitN(s.dsn, "@", 2)[0], s.name+"://")
			user = strings.TrimPrefix(user, "mysql://")
			src := s.open(t, Config{Table: table, Key: "k", PasswordFile: file})
			if id := src.Identity(); strings.Contains(id, user+"@") || strings.Contains(id, sqltest.Password) ||
				!strings.Contains(id, " table "+table+" key k") {
				t.Errorf("identity %q", id)
			}
			_, err := s.try(Config{Table: table, Key: "k", PasswordFile: wrong})
			if err == nil || strings.Contains(err.Error(), sqltest.Password) {
				t.Errorf("wrong password: %v", err)
			}
			_, err = s.try(Config{Table: table, Key: "k", PasswordEnv: "SQLSRC_TEST_UNSET"})
			if err == nil {
				t.Error("no password: no error")
			}
			escaped := url.UserPassword(user, sqltest.Password).String()
			for _, inDSN := range []string{
				strings.Replace(s.dsn, user+"@", escaped+"@", 1),
				strings.Replace(s.dsn, user+"@", user+":"+sqltest.Password+"@", 1), // not a valid URL
				s.dsn + map[bool]string{true: "&", false: "?"}[strings.Contains(s.dsn, "?")] + "password=" + url.QueryEscape(sqltest.Password),
			} {
				_, err = s.try(Config{DSN: inDSN, Table: table, Key: "k"})
				if err == nil || strings.Contains(err.Error(), sqltest.Password) || !strings.Contains(err.Error(), DefaultPasswordEnv) {
					t.Errorf("password in the DSN: %v", err)
				}
			}
		})
	}
}

// TestAlterDuringRead checks that a read that is under way when the table's
// columns change fails with source.ErrChanged.
func TestAlterDuringRead(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := newTable("alter")
			s.exec(t, "CREATE TABLE "+table+" (k integer PRIMARY KEY, v text)")
			for i := range 20 {
				s.exec(t, "INSERT INTO "+table+" VALUES ("+strconv.Itoa(i)+", 'v')")
			}
			src := s.open(t, Config{Table: table, Key: "k", PageSize: 1})
			r, err := src.Open("")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Next(); err != nil {
				t.Fatal(err)
			}
			s.exec(t, "ALTER TABLE "+table+" ADD COLUMN w text")
			recs, err := readErr(r)
			if !errors.Is(err, source.ErrChanged) || len(recs) > 3 {
				t.Fatalf("after %d more records: %v, want ErrChanged", len(recs), err)
			}
		})
	}
}
