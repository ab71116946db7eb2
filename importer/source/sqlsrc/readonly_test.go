package sqlsrc

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// TestReadOnlySession: a --query whose function writes never writes, on
// both engines, also when a page lifts PostgreSQL's read-only default for
// the pages after it.
func TestReadOnlySession(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table, victim, fn := newTable("ro"), newTable("victim"), newTable("f_write")
			s.exec(t, "CREATE TABLE "+table+" (id integer PRIMARY KEY, name varchar(20))",
				"INSERT INTO "+table+" VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')",
				"CREATE TABLE "+victim+" (n integer)")
			var query string
			if s.name == "postgres" {
				s.exec(t, "CREATE FUNCTION "+fn+"() RETURNS text LANGUAGE sql AS 'INSERT INTO "+victim+" VALUES (1); SELECT ''w''::text'")
				// a page in a read-only transaction lifts the default; one in a read-write transaction writes
				query = "SELECT id, CASE WHEN current_setting('transaction_read_only') = 'on' THEN set_config('default_transaction_read_only', 'off', false) ELSE " + fn + "() END AS x FROM " + table
			} else {
				s.exec(t, "CREATE FUNCTION "+fn+"() RETURNS int MODIFIES SQL DATA BEGIN INSERT INTO "+victim+" VALUES (1); RETURN 1; END")
				query = "SELECT id, " + fn + "() AS x FROM " + table
			}
			src, err := s.try(Config{Query: query, Key: "id", PageSize: 1})
			if err == nil { // else refused at once (MariaDB runs the function to describe the query)
				r, oerr := src.Open("")
				if oerr != nil {
					t.Fatal(oerr)
				}
				_, err = readErr(r)
			}
			// PostgreSQL reads to the end (every page finds the default on
			// again); MariaDB refuses the function.
			if s.name == "mariadb" && (err == nil || !strings.Contains(err.Error(), "READ ONLY")) {
				t.Errorf("the writing query was not refused: %v", err)
			}
			n := s.count(t, victim)
			if n != 0 {
				t.Errorf("the query wrote %d rows", n)
			}
		})
	}
}

// TestMultiStatementsRefused: a MySQL URL asking for multiStatements is
// refused before any connection.
func TestMultiStatementsRefused(t *testing.T) {
	for _, v := range []string{"true", "1", "TRUE"} {
		_, err := Open(t.Context(), Config{DSN: "mysql://app@127.0.0.1:1/crm?multiStatements=" + v, Table: "users", Key: "id"})
		if err == nil || !strings.Contains(err.Error(), "multiStatements is refused") {
			t.Errorf("multiStatements=%s: %v", v, err)
		}
	}
}

// TestQueryEndingInComment: a --query ending in a -- comment, with or
// without a semicolon before it, reads its rows.
func TestQueryEndingInComment(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := s.createUsers(t)
			for _, tail := range []string{" -- the users; all of them", "; -- the users", ";\n-- one\n/* two; */ ;\n"} {
				src := s.open(t, Config{Query: "SELECT " + usersColumns + " FROM " + table + tail, Key: "id"})
				r, err := src.Open("")
				if err != nil {
					t.Fatalf("%q: %v", tail, err)
				}
				if got := ids(readAll(t, r)); !slices.Equal(got, usersIDs) {
					t.Errorf("%q: ids %q, want %q", tail, got, usersIDs)
				}
			}
		})
	}
}

// count returns the number of rows of table on s.
func (s *server) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if s.name == "postgres" {
		err := sqltest.PGQuery(s.dsn, "SELECT count(*) FROM "+table, func(v [][]byte) { n, _ = strconv.Atoi(string(v[0])) })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	db, err := sqltest.MyDB(s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
