package sqlsrc

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
)

// TestRead reads the users fixture by its text key, in pages smaller than
// the table, and checks order, numbering, cursors and every field.
func TestRead(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := s.createUsers(t)
			want := s.usersWant()
			for _, size := range []int{1, 2, 5, 1000} {
				src := s.open(t, Config{Query: "SELECT " + usersColumns + " FROM " + table, Key: "id", PageSize: size})
				r, err := src.Open("")
				if err != nil {
					t.Fatal(err)
				}
				if h := r.Header(); !slices.Equal(h, []string{"id", "email", "display_name", "balance", "score",
					"active", "born", "created", "seen", "n"}) {
					t.Fatalf("header %q", h)
				}
				recs := readAll(t, r)
				if got := ids(recs); !slices.Equal(got, usersIDs) {
					t.Fatalf("page %d: ids %q, want byte order %q", size, got, usersIDs)
				}
				at := position{class: keyText}
				for i, rec := range recs {
					n := int64(i + 1)
					at = at.after(rec.ID)
					wantNext := at.cursor()
					if rec.Line != n || rec.Pos != n || rec.Next != wantNext || rec.Err != nil {
						t.Errorf("record %d: line %d pos %d next %q err %v", i, rec.Line, rec.Pos, rec.Next, rec.Err)
					}
					if !reflect.DeepEqual(rec.Fields, want[rec.ID]) {
						t.Errorf("%s fields\n got %v\nwant %v", rec.ID, rec.Fields, want[rec.ID])
					}
				}
			}
		})
	}
}

// TestResume reads part of a table, then resumes from a cursor after rows
// were added after it, as a later run would; a row added before it refuses
// the resume (see TestResumeChecksTheRowsPassed).
func TestResume(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := s.createUsers(t)
			src := s.open(t, Config{Query: "SELECT " + usersColumns + " FROM " + table, Key: "id", PageSize: 2})
			r, err := src.Open("")
			if err != nil {
				t.Fatal(err)
			}
			first, _ := r.Next()
			second, err := r.Next()
			if err != nil || second.ID != "u-001" {
				t.Fatalf("second record %q, %v", second.ID, err)
			}
			r.Close()
			s.exec(t, "INSERT INTO "+table+" (id, email) VALUES ('zz-new', 'new@example.com')")
			r, err = src.Open(second.Next)
			if err != nil {
				t.Fatal(err)
			}
			recs := readAll(t, r)
			want := []string{"u-010", "zoë", "zz-new", "Ω-1"}
			if got := ids(recs); !slices.Equal(got, want) {
				t.Fatalf("resumed ids %q, want %q", got, want)
			}
			s.exec(t, "INSERT INTO "+table+" (id, email) VALUES ('A-below', 'old@example.com')")
			if _, err := src.Open(second.Next); !errors.Is(err, source.ErrChanged) {
				t.Errorf("resume after a row was added before the cursor: %v, want ErrChanged", err)
			}
			for i, rec := range recs {
				if rec.Line != int64(i+3) {
					t.Errorf("%s: line %d, want %d", rec.ID, rec.Line, i+3)
				}
			}
			if first.ID != "U-002" {
				t.Errorf("first %q", first.ID)
			}
		})
	}
}

// TestIntKey checks numeric order across digit counts and signs, and
// integers past 2^53, which MySQL would compare as equal doubles if the key
// were sent as text.
func TestIntKey(t *testing.T) {
	keys := []string{"-10", "-9", "0", "9", "10", "100", "9007199254740992", "9007199254740993", "9223372036854775807"}
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := newTable("ints")
			s.exec(t, "CREATE TABLE "+table+" (k bigint PRIMARY KEY, v text)")
			for i, k := range slices.Backward(keys) {
				s.exec(t, fmt.Sprintf("INSERT INTO %s VALUES (%s, 'v%d')", table, k, i))
			}
			src := s.open(t, Config{Table: table, Key: "k", PageSize: 1})
			if _, class := src.Key(); class != "int" {
				t.Fatalf("class %s", class)
			}
			r, err := src.Open(position{class: keyInt}.after("-10").cursor())
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(readAll(t, r)); !slices.Equal(got, keys[1:]) {
				t.Fatalf("ids %q, want %q", got, keys[1:])
			}
			if n := src.Size(); n < -1 {
				t.Errorf("size %d", n)
			}
		})
	}
}

// TestReread fetches rows by key in the order given, across batches, with
// keys that are gone or cannot be keys.
func TestReread(t *testing.T) {
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := s.createUsers(t)
			src := s.open(t, Config{Query: "SELECT " + usersColumns + " FROM " + table, Key: "id"})
			want := s.usersWant()
			ask := []string{"zoë", "gone", "U-002", "u-002", "u-001", "zoë"}
			for i := range rereadBatch {
				ask = append(ask, "x"+strconv.Itoa(i))
			}
			ask = append(ask, "Ω-1")
			r, err := src.Reread(ask)
			if err != nil {
				t.Fatal(err)
			}
			recs := readAll(t, r)
			if got := ids(recs); !slices.Equal(got, ask) {
				t.Fatalf("ids %q", got[:6])
			}
			for _, rec := range recs {
				fields, ok := want[rec.ID]
				var re *source.RecordError
				switch {
				case ok && (rec.Err != nil || !reflect.DeepEqual(rec.Fields, fields) || rec.Next != "" || rec.Line != 0):
					t.Errorf("%s: %v %v next %q line %d", rec.ID, rec.Err, rec.Fields, rec.Next, rec.Line)
				case !ok && (!errors.As(rec.Err, &re) || !errors.Is(rec.Err, ErrRowGone) || re.Field != "id" || rec.Fields != nil):
					t.Errorf("%s (u-002 differs from U-002 only in case): err %v, fields %v", rec.ID, rec.Err, rec.Fields)
				}
			}
		})
	}
}
