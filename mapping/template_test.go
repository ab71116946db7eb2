package mapping

import (
	"slices"
	"strings"
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
		{"funcs", "{{.a | upper}}-{{lower .b}}-{{trim .c | upper}}", Row{"a": "x", "b": "Y", "c": " z "}, "X-y-Z", true},
		{"join", `{{join "," .g}}`, Row{"g": []any{"a", jsonNumber("2")}}, "a,2", false},
		{"index with spaces", `{{index . "First Name"}}`, Row{"First Name": "Li"}, "Li", true},
		{"index missing is empty", `[{{index . "x"}} {{index . "l" 1}} {{index . "l" 5}}]`, Row{"l": []any{"a", "b"}}, "[ b ]", true},
		{"if", "{{if .vip}}VIP {{end}}{{.name}}", Row{"vip": "", "name": "A"}, "A", true},
		{"else if", "{{if .a}}a{{else if .b}}b{{else}}c{{end}}", Row{"a": jsonNumber(""), "b": false}, "c", true},
		{"float falls back", "{{.f}}", Row{"f": 1e21}, "1e+21", true},
		{"list falls back", "{{.l}}", Row{"l": []any{"a", "b"}}, "[a b]", true},
		{"func on number falls back", "{{.n | printf \"%v\" | upper}}", Row{"n": jsonNumber("1")}, "1", false},
		{"slow null is empty", "{{.a | printf \"%s\"}}", Row{"a": nil}, "", false},
		{"with", "{{with .p}}{{.city}}{{end}}", Row{"p": map[string]any{"city": "Beijing"}}, "Beijing", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := compileTemplate("Nickname", tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			if src.fastOK != tt.fast {
				t.Fatalf("fast path = %v, want %v", src.fastOK, tt.fast)
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

// TestTemplateFastMatchesSlow renders templates on both paths: whenever the
// fast path decides, it must agree with text/template.
func TestTemplateFastMatchesSlow(t *testing.T) {
	templates := []string{
		"{{.a}}", "{{.a.b}}", "{{upper .a}}", "{{.a | trim | lower}}", `{{index . "a" "b"}}`, `{{index . "l" 0}}`,
		"{{if .a}}x{{else}}y{{end}}", "{{if .a}}{{.a}}{{else if .l}}{{.l}}{{end}}", "<{{.n}}|{{.b}}|{{.z}}>",
		`{{index . "m" "k" | upper}}`,
	}
	rows := []Row{
		{}, {"a": "Hi "}, {"a": nil}, {"a": jsonNumber("0")}, {"a": true}, {"a": false}, {"a": 3}, {"a": 2.5},
		{"a": []any{}}, {"a": []any{"x"}}, {"a": map[string]any{"b": "B"}}, {"a": map[string]any{}},
		{"a": map[string]any{"b": nil}}, {"l": []any{"p", nil}, "a": ""}, {"n": jsonNumber("12"), "b": false, "z": nil},
		{"m": map[string]any{"k": "v"}}, {"m": map[string]any{"k": jsonNumber("5")}}, {"a": "x", "l": nil},
	}
	for _, text := range templates {
		src, err := compileTemplate("t", text)
		if err != nil || !src.fastOK {
			t.Fatalf("%s: fast path not compiled: %v", text, err)
		}
		for _, row := range rows {
			var fast strings.Builder
			reason, decided := execFast(&fast, src.fast, row)
			if !decided {
				continue
			}
			var slow strings.Builder
			slowErr := src.tmpl.Execute(&slow, withoutNils(row))
			if (reason != "") != (slowErr != nil) || reason == "" && fast.String() != slow.String() {
				t.Errorf("%s on %v: fast %q (%s), text/template %q (%v)", text, row, fast.String(), reason, slow.String(), slowErr)
			}
		}
	}
}
