package sqlsrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
)

var tableSeq atomic.Int64

// newTable returns a table name of its own for a test.
func newTable(prefix string) string { return fmt.Sprintf("%s_%d", prefix, tableSeq.Add(1)) }

// usersIDs are the users fixture's keys in byte order, which is not the
// order of either database's default collation (ICU root, general_ci):
// those put u-001 before U-002.
var usersIDs = []string{"U-002", "u-001", "u-010", "zoë", "Ω-1"}

// usersColumns are the columns usersQuery selects: all but avatar.
const usersColumns = "id, email, display_name, balance, score, active, born, created, seen, n"

// createUsers makes a users table with the awkward rows of real databases:
// a text key, NULLs, Chinese text, a quote, timestamps with time zones, a
// numeric with 30 digits, duplicate emails, and a binary column.
func (s *server) createUsers(t testing.TB) string {
	t.Helper()
	name := newTable("users")
	ddl := "CREATE TABLE " + name + ` (id varchar(40) PRIMARY KEY, email varchar(200), display_name varchar(200),
		balance numeric(30,10), score double precision, active boolean, born date, created timestamptz,
		seen timestamp, avatar bytea, n integer)`
	created := []string{"'2024-03-01 12:30:45.123456+08'", "'1999-12-31 23:59:59+00'"}
	avatar := `'\x00ff'`
	if s.name == "mariadb" {
		ddl = strings.NewReplacer("timestamptz", "timestamp(6) NULL", "seen timestamp", "seen datetime",
			"bytea", "blob", "double precision", "double").Replace(ddl)
		created = []string{"'2024-03-01 04:30:45.123456'", "'1999-12-31 23:59:59'"}
		avatar = "x'00ff'"
	}
	s.exec(t, ddl, "INSERT INTO "+name+" VALUES "+
		"('u-001', 'wang@example.com', '王小明', 12345678901234567890.1234567890, 0.1, true, '1990-05-17', "+
		created[0]+", '2024-03-01 12:30:45', "+avatar+", 7),"+
		"('U-002', 'wang@example.com', 'Zoë O''Brien', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"+
		"('u-010', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"+
		"('zoë', 'zoe@example.com', 'Zoë', 0, 2.5, false, '2000-02-29', "+created[1]+", '1999-12-31 23:59:59', NULL, -3),"+
		"('Ω-1', 'omega@example.com', '', -0.5, -1.25, true, '1970-01-01', NULL, NULL, NULL, 2147483647)")
	return name
}

// usersWant returns the Fields of the users fixture's rows, by ID, as s
// renders them.
func (s *server) usersWant() map[string]map[string]any {
	null := map[string]any{"email": "", "display_name": "", "balance": "", "score": "", "active": "", "born": "",
		"created": "", "seen": "", "n": ""}
	row := func(id string, kv ...string) map[string]any {
		m := maps.Clone(null)
		m["id"] = id
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	yes, no, t2 := "true", "false", "1999-12-31T23:59:59Z"
	if s.name == "mariadb" {
		yes, no, t2 = "1", "0", "1999-12-31T23:59:59.000000Z"
	}
	return map[string]map[string]any{
		"u-001": row("u-001", "email", "wang@example.com", "display_name", "王小明",
			"balance", "12345678901234567890.1234567890", "score", "0.1", "active", yes, "born", "1990-05-17",
			"created", "2024-03-01T04:30:45.123456Z", "seen", "2024-03-01T12:30:45", "n", "7"),
		"U-002": row("U-002", "email", "wang@example.com", "display_name", "Zoë O'Brien"),
		"u-010": row("u-010"),
		"zoë": row("zoë", "email", "zoe@example.com", "display_name", "Zoë", "balance", "0.0000000000",
			"score", "2.5", "active", no, "born", "2000-02-29", "created", t2, "seen", "1999-12-31T23:59:59", "n", "-3"),
		"Ω-1": row("Ω-1", "email", "omega@example.com", "balance", "-0.5000000000", "score", "-1.25",
			"active", yes, "born", "1970-01-01", "n", "2147483647"),
	}
}

// open opens a Source on s with cfg's DSN filled in.
func (s *server) open(t testing.TB, cfg Config) *Source {
	t.Helper()
	src, err := s.try(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// try is open that returns the error.
func (s *server) try(cfg Config) (*Source, error) {
	if cfg.DSN == "" {
		cfg.DSN = s.dsn
	}
	return Open(context.Background(), cfg)
}

// readAll reads r to the end and closes it.
func readAll(t testing.TB, r source.Reader) []source.Record {
	t.Helper()
	defer r.Close()
	var recs []source.Record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs
		}
		if err != nil {
			t.Fatalf("after %d records: %v", len(recs), err)
		}
		recs = append(recs, rec)
	}
}

// ids returns the records' IDs.
func ids(recs []source.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// readErr reads r until it fails and returns the error and the records before.
func readErr(r source.Reader) ([]source.Record, error) {
	defer r.Close()
	var recs []source.Record
	for {
		rec, err := r.Next()
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}
