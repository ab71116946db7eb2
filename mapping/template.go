package mapping

import (
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
)

// templateSource renders a text/template over the row. Simple templates made
// only of text and {{.field.path}} actions run on a fast path without
// reflection; anything else runs through text/template.
type templateSource struct {
	parts []tmplPart // fast path; nil when tmpl must be executed
	tmpl  *template.Template
}

// tmplPart is literal text, or a field path when text is "" and path is set.
type tmplPart struct {
	text string
	path []string
}

// templateFuncs are the functions available inside templates besides the
// text/template built-ins; index replaces the built-in one.
var templateFuncs = template.FuncMap{
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"trim":  strings.TrimSpace,
	"join":  joinValues,
	"index": indexValue,
}

// compileTemplate parses text with missingkey=error strictness.
func compileTemplate(name, text string) (*templateSource, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(templateFuncs).Parse(text)
	if err != nil {
		return nil, err
	}
	return &templateSource{parts: fastParts(t.Tree), tmpl: t}, nil
}

// fastParts returns the fast-path form of tree, or nil if it has none.
func fastParts(tree *parse.Tree) []tmplPart {
	if tree == nil || tree.Root == nil {
		return nil
	}
	parts := make([]tmplPart, 0, len(tree.Root.Nodes))
	for _, n := range tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			parts = append(parts, tmplPart{text: string(n.Text)})
		case *parse.ActionNode:
			f, ok := soleField(n.Pipe)
			if !ok {
				return nil
			}
			parts = append(parts, tmplPart{path: f.Ident})
		default:
			return nil
		}
	}
	return parts
}

// soleField returns the field node of a pipe that is exactly {{.a.b}}.
func soleField(p *parse.PipeNode) (*parse.FieldNode, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return nil, false
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	return f, ok
}

func (s *templateSource) name() string { return "template" }

// get renders the template for row.
func (s *templateSource) get(row Row) (any, string) {
	if s.parts != nil {
		return s.fast(row)
	}
	var b strings.Builder
	if err := s.tmpl.Execute(&b, withoutNils(row)); err != nil {
		return nil, "template failed: " + templateReason(err)
	}
	return b.String(), ""
}

// fast renders a fast-path template.
func (s *templateSource) fast(row Row) (any, string) {
	var b strings.Builder
	for _, p := range s.parts {
		if p.path == nil {
			b.WriteString(p.text)
			continue
		}
		v, ok := walk(row, p.path)
		if !ok {
			return nil, fmt.Sprintf("template failed: source field %q is missing", strings.Join(p.path, "."))
		}
		str, reason := stringify(v)
		if reason != "" {
			return nil, fmt.Sprintf("template failed: source field %q %s", strings.Join(p.path, "."), reason)
		}
		b.WriteString(str)
	}
	return b.String(), ""
}

// walk follows object keys strictly, as text/template does.
func walk(row Row, segs []string) (any, bool) {
	var cur any = row
	for _, seg := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// templateReason strips text/template's "template: name:" prefix.
func templateReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "executing "); i >= 0 {
		msg = msg[i:]
	}
	return msg
}

// indexValue is {{index . "a" 0}}: like the built-in, but a missing key,
// an index out of range or a null yields "" instead of "<no value>", so
// index reads optional fields.
func indexValue(item any, keys ...any) any {
	for _, k := range keys {
		var ok bool
		if item, ok = child(item, fmt.Sprint(k)); !ok {
			return ""
		}
	}
	if item == nil {
		return ""
	}
	return item
}

// joinValues is the template function {{join ", " .list}}.
func joinValues(sep string, v any) string {
	items, ok := v.([]any)
	if !ok {
		s, _ := stringify(v)
		return s
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, _ := stringify(it)
		out = append(out, s)
	}
	return strings.Join(out, sep)
}
