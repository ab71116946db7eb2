package mapping

import (
	"go.yaml.in/yaml/v3"
)

// sourceRef records where the mapping reads a source field, for CheckHeader.
type sourceRef struct {
	name   string // top-level source field (CSV column)
	field  string // mapping path, e.g. "fields.Email.from"
	line   int
	column int
}

// ref records a source field read at node n.
func (d *decoder) ref(name, field string, n *yaml.Node) {
	d.refs = append(d.refs, sourceRef{name: name, field: field, line: n.Line, column: n.Column})
}

// from decodes from: <field path>.
func (d *decoder) from(n *yaml.Node, field string) source {
	s, ok := d.text(n, field)
	if !ok {
		return nil
	}
	p := newPath(s)
	if !p.valid() {
		d.failf(n, field, "is not a valid field path (empty segment between dots)")
		return nil
	}
	d.ref(p.full, field, n)
	return fromSource{p: p}
}

// constant decodes const: a scalar, or for list parameters also a list.
func (d *decoder) constant(n *yaml.Node, field string, t *target) source {
	if n.Kind == yaml.SequenceNode && t.kind == kindList {
		items := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			if s, ok := d.scalar(c, field); ok {
				items = append(items, s)
			}
		}
		return constSource{v: items}
	}
	s, ok := d.scalar(n, field)
	if !ok {
		return nil
	}
	return constSource{v: s}
}

// template decodes and compiles template: "...".
func (d *decoder) template(n *yaml.Node, field string, t *target) source {
	text, ok := d.text(n, field)
	if !ok {
		return nil
	}
	src, err := compileTemplate(t.name, text)
	if err != nil {
		d.failf(n, field, "cannot parse template: %v", err)
		return nil
	}
	src.secret = t.password || t.secret
	for _, name := range templateFields(src.tmpl) {
		d.ref(name, field, n)
	}
	return src
}

// generate decodes generate: true.
func (d *decoder) generate(n *yaml.Node, field string, t *target) bool {
	if !t.password {
		d.failf(n, field, "generate is only allowed on Password")
		return false
	}
	b, ok := d.boolean(n, field)
	if ok && !b {
		d.failf(n, field, "must be true; to read passwords from the source use from: <field>")
	}
	return ok && b
}
