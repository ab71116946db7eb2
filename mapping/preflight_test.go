package mapping

import (
	"strings"
	"testing"
)

func TestPreflight(t *testing.T) {
	in := "version: 1\nkey: «id\nfields:\n" +
		"  UserName: {from: «login}\n" +
		"  Email: {from: «e_mail}\n" +
		"  PhoneNumber: {from: mobile, phone: {default_region: CN}}\n" +
		"  Password: {generate: true}\n" +
		"  Nickname: {template: «\"{{.first}} {{.profile.nick}}\"}\n" +
		"  Address: {from: «profile.adress}\n" +
		"  IndexedAttribute1: {from: «blank}\n"
	in, pos := stripMarkers(in)
	s, err := Parse("m.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	rows := []Row{
		{"ID": "1", "Login": "a", "email": "a@x.cn", "mobile": "138", "first": "", "blank": " ",
			"profile": map[string]any{"address": "Road 1", "nick": "n"}},
		{"ID": "2", "Login": "b", "email": "b@x.cn", "mobile": "139", "first": nil, "blank": nil,
			"profile": map[string]any{"address": "Road 2"}},
	}
	want := []struct{ field, msg string }{
		{"key", `source field "id" is missing in all 2 sampled rows (closest fields with data: "ID")`},
		{"fields.UserName.from", `source field "login" is missing in all 2 sampled rows (closest fields with data: "Login")`},
		{"fields.Email.from", `source field "e_mail" is missing in all 2 sampled rows (closest fields with data: "email")`},
		{"fields.Nickname.template", `source field "first" is empty in all 2 sampled rows`},
		{"fields.Address.from", `source field "profile.adress" is missing in all 2 sampled rows (closest fields with data: "profile.address")`},
		{"fields.IndexedAttribute1.from", `source field "blank" is empty in all 2 sampled rows`},
	}
	got := s.Preflight(rows)
	if len(got) != len(want) {
		t.Fatalf("got %d warnings, want %d: %v", len(got), len(want), got)
	}
	for i, w := range got {
		if w.Field != want[i].field || w.Msg != want[i].msg || w.File != "m.yaml" {
			t.Errorf("warning %d = %s, want %s: %s", i, w, want[i].field, want[i].msg)
		}
		if w.Line != pos[i][0] || w.Column != pos[i][1] {
			t.Errorf("warning %d at %d:%d, want %d:%d", i, w.Line, w.Column, pos[i][0], pos[i][1])
		}
	}
	if !strings.HasPrefix(got[0].String(), "m.yaml:2:6: key: source field") {
		t.Errorf("String() = %q", got[0].String())
	}
	if s.Preflight(nil) != nil {
		t.Error("Preflight(nil) is not nil")
	}
	good := []Row{{"id": "1", "login": "a", "e_mail": "x", "mobile": "1", "first": "f", "blank": "b",
		"profile": map[string]any{"adress": "r", "nick": "n"}}}
	if w := s.Preflight(good); len(w) != 0 {
		t.Errorf("Preflight(good) = %v", w)
	}
}
