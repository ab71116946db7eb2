package sqlsrc

import (
	"errors"
	"slices"
	"testing"
)

// TestUUIDKey reads a PostgreSQL table by a uuid key, in uuid order, and a
// domain over bytea, which must be refused like bytea.
func TestUUIDKey(t *testing.T) {
	s := dbs(t)[0]
	if s.name != "postgres" {
		t.Skip("uuid is PostgreSQL's")
	}
	table := newTable("uuids")
	keys := []string{"00000000-0000-4000-8000-000000000001", "0a000000-0000-4000-8000-000000000000",
		"a0000000-0000-4000-8000-000000000000", "ffffffff-ffff-4fff-bfff-ffffffffffff"}
	s.exec(t, "CREATE TABLE "+table+" (u uuid PRIMARY KEY, v text)",
		"INSERT INTO "+table+" VALUES ('"+keys[3]+"', 'd'), ('"+keys[1]+"', 'b'), ('"+keys[0]+"', 'a'), ('"+keys[2]+"', 'c')",
		"ANALYZE "+table)
	src := s.open(t, Config{Table: table, Key: "u", PageSize: 1})
	r, err := src.Open("")
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	if got := ids(recs); !slices.Equal(got, keys) {
		t.Fatalf("ids %q", got)
	}
	r, err = src.Open(recs[1].Next)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(readAll(t, r)); !slices.Equal(got, keys[2:]) {
		t.Fatalf("resumed ids %q", got)
	}
	if n := src.Size(); n != 4 {
		t.Errorf("size %d after ANALYZE, want 4", n)
	}
	if q := s.open(t, Config{Query: "SELECT * FROM " + table, Key: "u"}); q.Size() != -1 {
		t.Errorf("size of a query %d, want -1", q.Size())
	}
	s.exec(t, "CREATE DOMAIN blob_"+table+" AS bytea")
	_, err = s.try(Config{Query: "SELECT u, v::bytea::blob_" + table + " AS pic FROM " + table, Key: "u"})
	if !errors.Is(err, ErrBinaryColumn) {
		t.Errorf("domain over bytea: %v, want ErrBinaryColumn", err)
	}
}
