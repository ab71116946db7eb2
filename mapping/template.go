package mapping

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
)

// templateSource renders a text/template over the row, within the bounds of
// template_limit.go. Common templates run
// on a fast path without reflection (see template_fast.go); the rest, and any
// row the fast path cannot decide, run through text/template.
type templateSource struct {
	fast   []tmplNode
	fastOK bool
	tmpl   *template.Template
	secret bool // errors withhold the message (Password, PasswordHash, salt)
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
	if msg := rangeProblem(t); msg != "" {
		return nil, errors.New(msg)
	}
	src := &templateSource{tmpl: t}
	if t.Tree != nil && len(t.Templates()) == 1 {
		src.fast, src.fastOK = compileFast(t.Root)
	}
	instrument(t)
	return src, nil
}

func (s *templateSource) name() string { return "template" }

// get renders the template for row.
func (s *templateSource) get(row Row) (any, string) {
	if s.fastOK {
		var b strings.Builder
		reason, decided := execFast(&b, s.fast, row)
		switch {
		case decided && reason != "":
			return nil, "template failed: " + reason
		case decided && b.Len() > templateMaxOutput:
			return nil, "template failed: " + errTemplateOutput.Error()
		case decided:
			return b.String(), ""
		}
	}
	var w boundedWriter
	if err := s.tmpl.Execute(&w, withoutNils(row)); err != nil {
		return nil, templateReason(err, s.secret)
	}
	return w.b.String(), ""
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

// indexValue is {{index . "a" 0}}: like the built-in, but a missing key,
// an index out of range or a null yields "" instead of "<no value>", so
// index reads optional fields.
func indexValue(item any, keys ...any) any {
	for _, k := range keys {
		seg, isString := k.(string)
		if !isString {
			seg = fmt.Sprint(k)
		}
		var ok bool
		if item, ok = child(item, seg); !ok {
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
