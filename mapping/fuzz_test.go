package mapping

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.yaml")
	samples, _ := filepath.Glob("../samples/*.yaml")
	for _, p := range append(paths, samples...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, tt := range specErrorTests {
		in, _ := stripMarkers(tt.in)
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			specErrors(t, err)
			return
		}
		if len(s.Hash()) != 64 {
			t.Fatalf("bad hash %q", s.Hash())
		}
		_ = s.CheckHeader([]string{"a"})
		_, _ = s.Map(Row{"id": "1", "a": "x", "b": []any{"y"}})
	})
}

func FuzzMap(f *testing.F) {
	s, err := ParseFile("testdata/full.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("U1", "a@example.com", "+86 138 0013 8000", "admins;staff", "1990-05-17", "Wei")
	f.Add("", "x", "(0)138", ";;", "31/12/1999", "")
	f.Fuzz(func(t *testing.T, id, email, phone, groups, birthday, name string) {
		row := fullRow()
		row["legacy_id"], row["email"], row["mobile"] = id, email, phone
		row["groups"], row["birthday"], row["first_name"] = groups, birthday, name
		u, err := s.Map(row)
		if err != nil {
			assertNoValues(t, err, Row{"p": testPassword})
			return
		}
		if u.Key == "" || u.Email == "" || u.PhoneNumber == "" {
			t.Fatalf("Map accepted a row without required values: %+v", u)
		}
	})
}
