package mapping

import (
	"strings"
	"testing"
)

func TestTransforms(t *testing.T) {
	tests := []struct {
		name       string
		transforms string
		in         any
		want       string
	}{
		{"trim", "[trim]", "  a b \t\n", "a b"},
		{"trim characters", `[{trim: ", "}]`, " ,a, b,, ", "a, b"},
		{"lower", "[lower]", "ÄBC Def", "äbc def"},
		{"upper", "[upper]", "abc déf", "ABC DÉF"},
		{"collapse_spaces", "[collapse_spaces]", "  Room 1203,\r\n  Building 5  ", "Room 1203, Building 5"},
		{"collapse_spaces unchanged", "[collapse_spaces]", "a b", "a b"},
		{"default on empty", "[{default: unknown}]", "", "unknown"},
		{"default on missing", "[{default: unknown}]", nil, "unknown"},
		{"default keeps value", "[{default: unknown}]", "x", "x"},
		{"default after trim", "[trim, {default: unknown}]", "   ", "unknown"},
		{"default before trim", "[{default: unknown}, trim]", "   ", ""},
		{"regex_replace", `[{regex_replace: {pattern: "[^0-9]", replacement: ""}}]`, "E-12 3", "123"},
		{"regex_replace groups", `[{regex_replace: {pattern: "^(\\w+)@(\\w+)$", replacement: "$2/$1"}}]`, "a@b", "b/a"},
		{"regex_replace no replacement", `[{regex_replace: {pattern: "x"}}]`, "axbx", "ab"},
		{"truncate", "[{truncate: 3}]", "abcdef", "abc"},
		{"truncate runes", "[{truncate: 2}]", "张伟伟", "张伟"},
		{"truncate short", "[{truncate: 10}]", "abc", "abc"},
		{"order matters", "[lower, {regex_replace: {pattern: A, replacement: x}}]", "AaA", "aaa"},
		{"json number", "[]", jsonNumber("12.50"), "12.50"},
		{"bool", "[]", true, "true"},
		{"float", "[]", 1.5, "1.5"},
		{"int", "[]", 42, "42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, "  Nickname: {from: v, transforms: "+tt.transforms+"}\n")
			u, err := s.Map(Row{"id": "1", "v": tt.in})
			if err != nil {
				t.Fatalf("Map: %v", err)
			}
			if u.Nickname != tt.want {
				t.Fatalf("Nickname = %q, want %q", u.Nickname, tt.want)
			}
		})
	}
}

func TestListValues(t *testing.T) {
	const table = "lookup: {table: {admins: A, staff: S, guests: \"\"}, missing: %s}"
	tests := []struct {
		name string
		rule string
		in   any
		want []string
	}{
		{"split", `{from: g, split: ";"}`, "a;b;;c", []string{"a", "b", "c"}},
		{"no split keeps text whole", "{from: g}", "a;b", []string{"a;b"}},
		{"json array", "{from: g}", []any{"a", jsonNumber("2"), nil, "a"}, []string{"a", "2"}},
		{"json array split", `{from: g, split: ","}`, []any{"a,b", "c"}, []string{"a", "b", "c"}},
		{"per-element transforms", `{from: g, split: ";", transforms: [trim, lower]}`, " A ; b ", []string{"a", "b"}},
		{"default fills empty", `{from: g, split: ";", transforms: [trim, {default: staff}]}`, " ; ", []string{"staff"}},
		{"default fills missing", "{from: g, transforms: [{default: staff}]}", nil, []string{"staff"}},
		{"default keeps list", "{from: g, transforms: [{default: staff}]}", "x", []string{"x"}},
		{"lookup", `{from: g, split: ";", transforms: [lower], ` + strings.ReplaceAll(table, "%s", "reject") + "}", "Admins;STAFF;admins", []string{"A", "S"}},
		{"lookup empty value drops", `{from: g, split: ";", ` + strings.ReplaceAll(table, "%s", "reject") + "}", "guests;staff", []string{"S"}},
		{"lookup drop", `{from: g, split: ";", ` + strings.ReplaceAll(table, "%s", "drop") + "}", "x;staff", []string{"S"}},
		{"lookup keep", `{from: g, split: ";", ` + strings.ReplaceAll(table, "%s", "keep") + "}", "x;staff", []string{"x", "S"}},
		{"const list", "{const: [o1, o2]}", nil, []string{"o1", "o2"}},
		{"const text split", `{const: "o1,o2", split: ","}`, nil, []string{"o1", "o2"}},
		{"empty not sent", `{from: g, split: ";"}`, ";;", nil},
		{"default then lookup", `{from: g, transforms: [{default: admins}], ` + strings.ReplaceAll(table, "%s", "reject") + "}", "", []string{"A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, "  UserGroup: "+tt.rule+"\n  UserOrg: "+tt.rule+"\n")
			u, err := s.Map(Row{"id": "1", "g": tt.in})
			if err != nil {
				t.Fatalf("Map: %v", err)
			}
			if !equalStrings(u.UserGroup, tt.want) || !equalStrings(u.UserOrg, tt.want) {
				t.Fatalf("UserGroup = %q, UserOrg = %q, want %q", u.UserGroup, u.UserOrg, tt.want)
			}
		})
	}
}

func TestTextLookup(t *testing.T) {
	tests := []struct {
		missing, in, want string
		fails             bool
	}{
		{"reject", "y", "true", false},
		{"reject", "maybe", "", true},
		{"drop", "maybe", "", false},
		{"keep", "maybe", "maybe", false},
	}
	for _, tt := range tests {
		t.Run(tt.missing+"/"+tt.in, func(t *testing.T) {
			s := mustSpec(t, "  Nickname: {from: v, lookup: {table: {y: \"true\"}, missing: "+tt.missing+"}}\n")
			u, err := s.Map(Row{"id": "1", "v": tt.in})
			if tt.fails != (err != nil) {
				t.Fatalf("Map error = %v, want failure %v", err, tt.fails)
			}
			if err == nil && u.Nickname != tt.want {
				t.Fatalf("Nickname = %q, want %q", u.Nickname, tt.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && (a == nil) == (b == nil)
}
