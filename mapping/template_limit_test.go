package mapping

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTemplateBounds(t *testing.T) {
	big := strings.Repeat("a", 40<<10)
	list := make([]any, 50)
	for i := range list {
		list[i] = "g"
	}
	tests := []struct {
		name, tmpl string
		row        Row
		reason     string // "" when the row maps
		want       string
	}{
		{"range over a huge row integer", "{{range .n}}x{{end}}", Row{"n": int64(1_000_000_000)}, "takes more than 10000 steps", ""},
		{"silent range", "{{range .n}}{{end}}", Row{"n": int64(1_000_000_000)}, "takes more than 10000 steps", ""},
		{"nested ranges", "{{range .l}}{{range $.l}}{{range $.l}}{{end}}{{end}}{{end}}", Row{"l": list}, "takes more than 10000 steps", ""},
		{"recursion", `{{define "x"}}{{template "x" .}}{{template "x" .}}{{end}}{{template "x" .}}`, Row{}, "takes more than 10000 steps", ""},
		{"constant range at the bound", "{{range 10000}}x{{end}}", Row{}, "takes more than 10000 steps", ""},
		{"huge printf", `{{printf "%0100000d" 1}}`, Row{}, "output exceeds the bound of 65536 bytes", ""},
		{"fast path output", "{{.a}}{{.a}}", Row{"a": big}, "output exceeds the bound of 65536 bytes", ""},
		{"slow path output", "{{range .l}}{{$.a}}{{end}}", Row{"a": big, "l": list}, "output exceeds the bound of 65536 bytes", ""},
		{"ordinary range", "{{range .l}}{{.}}{{end}}", Row{"l": list}, "", strings.Repeat("g", 50)},
		{"small constant range", "{{range 3}}{{.}}{{end}}", Row{}, "", "012"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, "  Address: {template: "+quoteYAML(tt.tmpl)+"}\n")
			row := Row{"id": "1"}
			for k, v := range tt.row {
				row[k] = v
			}
			start := time.Now()
			u, err := s.Map(row)
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("Map took %v", d)
			}
			var fe *FieldError
			switch {
			case tt.reason == "" && err != nil:
				t.Fatalf("Map: %v", err)
			case tt.reason == "" && u.Address != tt.want:
				t.Fatalf("Address = %q, want %q", u.Address, tt.want)
			case tt.reason != "" && (!errors.As(err, &fe) || fe.Field != "Address" || !strings.Contains(fe.Reason, tt.reason)):
				t.Fatalf("Map = %v, want Address: ~%q", err, tt.reason)
			}
		})
	}
}

// quoteYAML writes s as a double-quoted YAML scalar.
func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
