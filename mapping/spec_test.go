package mapping

import (
	"strings"
	"testing"
)

func TestCheckHeader(t *testing.T) {
	in, pos := stripMarkers("version: 1\nkey: «legacy_id\nfields:\n" +
		"  UserName: {from: «Login}\n" +
		"  Email: {from: email}\n" +
		"  PhoneNumber: {from: «mobile}\n" +
		"  Password: {generate: true}\n" +
		"  Nickname: {template: «\"{{.first}} {{index . \\\"Last Name\\\"}}\"}\n" +
		"  Address: {from: profile.address}\n")
	s, err := Parse("m.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckHeader([]string{"legacy_id", "Login", "email", "mobile", "first", "Last Name", "profile.address"}); err != nil {
		t.Fatalf("CheckHeader(complete) = %v", err)
	}
	err = s.CheckHeader([]string{"\ufefflegacy_id", "login", "email", "phone", "Last Name", "profile.address"})
	want := []string{
		`key: column "legacy_id" is not in the CSV header (the header has "\ufefflegacy_id")`,
		`fields.UserName.from: column "Login" is not in the CSV header (the header has "login")`,
		`fields.PhoneNumber.from: column "mobile" is not in the CSV header`,
		`fields.Nickname.template: column "first" is not in the CSV header`,
	}
	got := specErrors(t, err)
	if len(got) != len(want) {
		t.Fatalf("CheckHeader = %v, want %d errors", err, len(want))
	}
	for i, se := range got {
		checkSpecError(t, se, want[i], pos, i)
	}
}

func TestHash(t *testing.T) {
	base := specYAML("  Nickname: {from: n, transforms: [trim, lower]}\n")
	same := []string{
		"# a comment\n" + base,
		strings.Replace(base, "{from: n, transforms: [trim, lower]}", "\n    transforms:\n      - trim\n      - lower\n    from: n  # reordered", 1),
	}
	different := []string{
		strings.Replace(base, "[trim, lower]", "[lower, trim]", 1),
		strings.Replace(base, "from: n", "from: m", 1),
		strings.Replace(base, "key: id", "key: legacy", 1),
	}
	h := hashOf(t, base)
	if len(h) != 64 {
		t.Fatalf("Hash() = %q, want 64 hex digits", h)
	}
	for i, y := range same {
		if got := hashOf(t, y); got != h {
			t.Errorf("same[%d]: hash %s, want %s", i, got, h)
		}
	}
	for i, y := range different {
		if got := hashOf(t, y); got == h {
			t.Errorf("different[%d]: hash did not change", i)
		}
	}
}

func hashOf(t *testing.T, y string) string {
	t.Helper()
	s, err := Parse("m.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return s.Hash()
}

func TestAccessors(t *testing.T) {
	tests := []struct {
		name, fields string
		legacy       int
		generates    bool
	}{
		{"none", "", 0, false},
		{"shorthand", "  IndexedAttribute1: id\n", 1, false},
		{"trim only", "  IndexedAttribute3: {from: id, transforms: [trim, trim]}\n", 3, false},
		{"lowest wins", "  IndexedAttribute4: id\n  IndexedAttribute2: {from: id}\n", 2, false},
		{"lower changes it", "  IndexedAttribute1: {from: id, transforms: [lower]}\n", 0, false},
		{"lookup changes it", "  IndexedAttribute1: {from: id, lookup: {table: {a: b}, missing: keep}}\n", 0, false},
		{"other field", "  IndexedAttribute1: other\n", 0, false},
		{"template", "  IndexedAttribute1: {template: \"{{.id}}\"}\n", 0, false},
		{"generate", "  Password: {generate: true}\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, tt.fields)
			if s.KeyField() != "id" || s.LegacyIDAttribute() != tt.legacy || s.GeneratesPassword() != tt.generates {
				t.Fatalf("KeyField %q LegacyIDAttribute %d GeneratesPassword %v", s.KeyField(), s.LegacyIDAttribute(), s.GeneratesPassword())
			}
		})
	}
}

func TestLegacyAttributeEqualsKey(t *testing.T) {
	s := mustSpec(t, "  IndexedAttribute2: id\n")
	u, err := s.Map(Row{"id": "  L-001 "})
	if err != nil {
		t.Fatal(err)
	}
	if u.Key != "L-001" || u.IndexedAttributes[1] != u.Key {
		t.Fatalf("Key %q, IndexedAttribute2 %q", u.Key, u.IndexedAttributes[1])
	}
	u, err = s.Map(Row{"id": jsonNumber("1001")})
	if err != nil || u.Key != "1001" || u.IndexedAttributes[1] != "1001" {
		t.Fatalf("numeric key: %+v, %v", u, err)
	}
}

func TestMapNestedPaths(t *testing.T) {
	s := mustSpec(t, "  Email: profile.email\n  Nickname: profile.names.1\n  Address: flat.key\n")
	row := Row{"id": "1", "flat.key": "flat wins",
		"profile": map[string]any{"email": "a@example.com", "names": []any{"x", "Ann"}}}
	u, err := s.Map(row)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "a@example.com" || u.Nickname != "Ann" || u.Address != "flat wins" {
		t.Fatalf("Map = %+v", u)
	}
}

func TestMapMissingNestedPaths(t *testing.T) {
	s := mustSpec(t, "  Nickname: profile.names.1\n")
	tests := []struct {
		name    string
		profile any
	}{
		{"not an object", "text"},
		{"index out of range", map[string]any{"names": []any{"x"}}},
		{"not a list", map[string]any{"names": "x"}},
		{"bad index", map[string]any{"names": map[string]any{"1": "y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.Map(Row{"id": "1", "profile": tt.profile})
			want := ""
			if tt.name == "bad index" {
				want = "y" // objects with numeric keys are still objects
			}
			if err != nil || u.Nickname != want {
				t.Fatalf("Map = %+v, %v; want Nickname %q", u, err, want)
			}
		})
	}
}
