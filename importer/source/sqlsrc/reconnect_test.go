package sqlsrc

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// TestReconnect kills the reader's server session between pages: the next
// page is read on a new connection and no row is lost or repeated.
func TestReconnect(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := newTable("reconnect")
			s.exec(t, "CREATE TABLE "+table+" (k integer PRIMARY KEY, v text)")
			for i := range 10 {
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
			if n := s.killReaders(t); n < 1 { // the reader's, and maybe Open's, closing
				t.Fatalf("killed %d sessions, want the reader's", n)
			}
			recs := readAll(t, r)
			if len(recs) != 9 || recs[0].ID != "1" || recs[8].ID != "9" || recs[8].Line != 10 {
				t.Fatalf("after the kill: %q", ids(recs))
			}
		})
	}
}

// killReaders ends the server sessions of this package's readers (not the
// test's own) and returns how many it ended.
func (s *server) killReaders(t *testing.T) int {
	t.Helper()
	if s.name == "postgres" {
		n := 0
		err := sqltest.PGQuery(s.dsn, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ciam-import'",
			func(v [][]byte) { n, _ = strconv.Atoi(string(v[0])) })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	tg, _ := parseDSN(s.dsn)
	mc, _ := mysqlConfig(tg, sqltest.Password, 30*time.Second)
	conn, _ := gomysql.NewConnector(mc)
	db := sql.OpenDB(conn)
	defer db.Close()
	db.SetMaxOpenConns(1)
	var ids []int64
	rows, err := db.Query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'ciam' AND ID <> CONNECTION_ID()")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	n := 0
	for _, id := range ids {
		_, err := db.Exec(fmt.Sprintf("KILL %d", id))
		var me *gomysql.MySQLError
		switch {
		case errors.As(err, &me) && me.Number == 1094: // Unknown thread id: it ended between the list and the kill
		case err != nil:
			t.Fatal(err)
		default:
			n++
		}
	}
	return n
}
