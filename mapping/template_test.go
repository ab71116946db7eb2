package mapping

import (
	"slices"
	"testing"
)

func TestTemplates(t *testing.T) {
	tests := []struct {
		name, tmpl string
		row        Row
		want       string
		fast       bool
	}{
		{"fields", "{{.first}} {{.last}}", Row{"first": "Wei", "last": "Zhang"}, "Wei Zhang", true},
		{"nested", "{{.profile.name.first}}!", Row{"profile": map[string]any{"name": map[string]any{"first": "Ann"}}}, "Ann!", true},
		{"null is empty", "[{{.a}}]", Row{"a": nil}, "[]", true},
		{"number", "#{{.n}}", Row{"n": jsonNumber("7")}, "#7", true},
		{"text only", "fixed", Row{}, "fixed", true},
		{"funcs", "{{.a | upper}}-{{lower .b}}-{{trim .c}}", Row{"a": "x", "b": "Y", "c": " z "}, "X-y-z", false},
		{"join", `{{join "," .g}}`, Row{"g": []any{"a", jsonNumber("2")}}, "a,2", false},
		{"index with spaces", `{{index . "First Name"}}`, Row{"First Name": "Li"}, "Li", false},
		{"index missing is empty", `[{{index . "x"}} {{index . "l" 1}} {{index . "l" 5}}]`, Row{"l": []any{"a", "b"}}, "[ b ]", false},
		{"if", "{{if .vip}}VIP {{end}}{{.name}}", Row{"vip": "", "name": "A"}, "A", false},
		{"slow null is empty", "{{.a | printf \"%s\"}}", Row{"a": nil}, "", false},
		{"with", "{{with .p}}{{.city}}{{end}}", Row{"p": map[string]any{"city": "Beijing"}}, "Beijing", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := compileTemplate("Nickname", tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			if (src.parts != nil) != tt.fast {
				t.Fatalf("fast path = %v, want %v", src.parts != nil, tt.fast)
			}
			got, reason := src.get(tt.row)
			if reason != "" || got != tt.want {
				t.Fatalf("get = %q, %q; want %q", got, reason, tt.want)
			}
		})
	}
}

func TestTemplateFields(t *testing.T) {
	tests := []struct {
		tmpl string
		want []string
	}{
		{"{{.a}} {{.b.c}}", []string{"a", "b"}},
		{`{{index . "First Name"}} {{$.x}}`, []string{"First Name", "x"}},
		{"{{if .a}}{{.b}}{{else}}{{.c}}{{end}}", []string{"a", "b", "c"}},
		{"{{with .p}}{{.city}}{{$.q}}{{else}}{{.r}}{{end}}", []string{"p", "q", "r"}},
		{"{{range .g}}{{.}}{{end}}", []string{"g"}},
		{"{{.a | printf \"%s-%s\" .b}}", []string{"b", "a"}},
		{"{{(.a).b}}", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			src, err := compileTemplate("t", tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			got := templateFields(src.tmpl)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("templateFields = %q, want %q", got, want)
			}
		})
	}
}

func TestWithoutNilsCopiesOnlyWhenNeeded(t *testing.T) {
	inner := map[string]any{"x": nil}
	row := Row{"a": "1", "l": []any{nil, "b"}, "m": inner}
	out := withoutNils(row)
	if out["l"].([]any)[0] != "" || out["m"].(map[string]any)["x"] != "" {
		t.Fatalf("withoutNils = %v", out)
	}
	if row["l"].([]any)[0] != nil || inner["x"] != nil {
		t.Fatal("withoutNils modified its input")
	}
	clean := Row{"a": "1"}
	got := withoutNils(clean)
	got["b"] = "2"
	if len(clean) != 2 {
		t.Fatal("withoutNils copied a row without nulls")
	}
}
