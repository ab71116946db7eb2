package mapping

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// sampleDir holds the generated legacy exports (see samples/gen).
const sampleDir = "../samples"

// sampleExpectation mirrors samples/expected.json.
type sampleExpectation struct {
	Rows       int               `json:"rows"`
	Invalid    map[string]string `json:"invalid"`
	Duplicates map[string]struct {
		Of    string `json:"of"`
		Field string `json:"field"`
	} `json:"duplicates"`
}

func TestSamples(t *testing.T) {
	var expected map[string]sampleExpectation
	readJSON(t, filepath.Join(sampleDir, "expected.json"), &expected)
	tests := []struct{ mapping, data string }{
		{"mapping-csv.yaml", "users.csv"},
		{"mapping-jsonl.yaml", "users.jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			s, err := ParseFile(filepath.Join(sampleDir, tt.mapping))
			if err != nil {
				t.Fatalf("ParseFile: %v", err)
			}
			if s.LegacyIDAttribute() != 1 {
				t.Errorf("LegacyIDAttribute = %d, want 1", s.LegacyIDAttribute())
			}
			rows := readSampleRows(t, s, filepath.Join(sampleDir, tt.data))
			checkSampleRows(t, s, rows, expected[tt.data])
		})
	}
}

// checkSampleRows maps every row: expected-invalid rows must fail on the
// expected parameter, every other row must map, and duplicates must map to
// the same email or phone as the row they duplicate.
func checkSampleRows(t *testing.T, s *Spec, rows []Row, exp sampleExpectation) {
	t.Helper()
	if len(rows) != exp.Rows || len(exp.Invalid) < exp.Rows/25 || len(exp.Duplicates) == 0 {
		t.Fatalf("%d rows, %d invalid, %d duplicates; expected.json says %d rows", len(rows), len(exp.Invalid), len(exp.Duplicates), exp.Rows)
	}
	users := map[string]*User{}
	for _, row := range rows {
		u, err := s.Map(row)
		key, _ := stringify(row[s.KeyField()])
		var fe *FieldError
		switch want, bad := exp.Invalid[key]; {
		case bad && (!errors.As(err, &fe) || fe.Field != want):
			t.Errorf("row %s: Map error %v, want a FieldError on %s", key, err, want)
		case !bad && err != nil:
			t.Errorf("row %s: %v", key, err)
		case !bad:
			users[key] = u
		}
	}
	for id, d := range exp.Duplicates {
		a, b := users[id], users[d.Of]
		if a == nil || b == nil || (d.Field == "Email") != (a.Email == b.Email) || (d.Field == "PhoneNumber") != (a.PhoneNumber == b.PhoneNumber) {
			t.Errorf("duplicate %s of %s on %s: got %+v and %+v", id, d.Of, d.Field, a, b)
		}
	}
}

// readSampleRows reads a CSV (checking its header) or JSONL sample.
func readSampleRows(t *testing.T, s *Spec, path string) []Row {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Ext(path) == ".csv" {
		return csvRows(t, s, data)
	}
	return jsonlRows(t, data)
}

func csvRows(t *testing.T, s *Spec, data []byte) []Row {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckHeader(records[0]); err != nil {
		t.Fatalf("CheckHeader: %v", err)
	}
	rows := make([]Row, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := Row{}
		for i, h := range records[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func jsonlRows(t *testing.T, data []byte) []Row {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var rows []Row
	for {
		var row Row
		if err := dec.Decode(&row); err == io.EOF {
			return rows
		} else if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
