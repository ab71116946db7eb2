package mapping

import (
	"os"
	"path/filepath"
	"strings"
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

// FuzzMapHash maps rows mixing plaintext passwords and hashes: every
// accepted row takes exactly one path, and no error quotes the secrets.
func FuzzMapHash(f *testing.F) {
	s, err := ParseFile("testdata/hash.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("", "md5", testMD5, "salt", "tag")
	f.Add(testPassword, "bcrypt", testBcrypt, "", "")
	f.Add("", "SHA1", testSHA1+" ", "s\x00", "a\x00")
	f.Fuzz(func(t *testing.T, pw, algo, hash, salt, tag string) {
		row := Row{"legacy_id": "1", "login": "u", "email": "u@example.com", "mobile": "13800138000",
			"password": pw, "hash_type": algo, "pw_hash": hash, "pw_salt": salt, "first_name": "F", "tags": []any{tag}}
		u, err := s.Map(row)
		if err != nil {
			for _, secret := range []string{pw, hash, salt} {
				if len(secret) > 6 && strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q quotes a secret", err)
				}
			}
			return
		}
		if u.HasPasswordHash() == !u.Password.IsZero() {
			t.Fatalf("row takes both or neither path: hash %v, password %v", u.HasPasswordHash(), !u.Password.IsZero())
		}
		if u.HasPasswordHash() && hashShape(u.PasswordHash.Algorithm, u.PasswordHash.Hash.Reveal()) != "" {
			t.Fatal("accepted a malformed hash")
		}
		if h := u.PasswordHash; h.Algorithm != HashBCRYPT && h.Hash.Reveal() != strings.ToLower(h.Hash.Reveal()) {
			t.Fatal("a hex digest is not lower case")
		}
	})
}

// FuzzTemplate checks that the template fast path agrees with text/template.
func FuzzTemplate(f *testing.F) {
	f.Add("{{if .a}}{{.a | upper}}{{else}}{{index . \"m\" \"k\"}}{{end}}", "x", "k", int64(1), true)
	f.Add("{{.m.k}}-{{trim .a}}", " y ", "z", int64(0), false)
	f.Fuzz(func(t *testing.T, text, a, k string, n int64, b bool) {
		src, err := compileTemplate("t", text)
		if err != nil || !src.fastOK {
			return
		}
		rows := []Row{
			{"a": a, "m": map[string]any{k: n}, "b": b},
			{"a": nil, "m": map[string]any{"k": a}, "l": []any{a, nil}},
			{"a": jsonNumber("7"), "b": b, "m": nil},
		}
		for _, row := range rows {
			var fast, slow strings.Builder
			reason, decided := execFast(&fast, src.fast, row)
			if !decided {
				continue
			}
			slowErr := src.tmpl.Execute(&slow, withoutNils(row))
			if (reason != "") != (slowErr != nil) || reason == "" && fast.String() != slow.String() {
				t.Fatalf("%q on %v: fast %q (%s), text/template %q (%v)", text, row, fast.String(), reason, slow.String(), slowErr)
			}
		}
	})
}
