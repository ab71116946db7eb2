package mapping

import (
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ruleKeys are the keys allowed in a field rule.
var ruleKeys = []string{"from", "const", "template", "generate", "transforms", "split",
	"lookup", "phone", "date", "required", "max_length", "update", "by", "missing"}

// sourceKeys are the mutually exclusive value sources.
var sourceKeys = []string{"from", "const", "template", "generate"}

// rule decodes one field rule; a bare scalar is shorthand for {from: x}. It
// returns a nil rule with generate true for Password: {generate: true}.
func (d *decoder) rule(n *yaml.Node, field string, t *target) (*rule, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		return d.ruleFrom([]entry{{key: "from", knode: n, val: n}}, n, field, t)
	}
	entries, ok := d.mapping(n, field, ruleKeys)
	if !ok {
		return nil, false
	}
	return d.ruleFrom(entries, n, field, t)
}

// ruleFrom builds a rule from decoded entries. Keys it does not know
// ("name", "type" of attributes) are left to the caller. A missing source is
// not reported when an unknown key of the rule was taken to mean one.
func (d *decoder) ruleFrom(entries []entry, n *yaml.Node, field string, t *target) (*rule, bool) {
	return d.ruleAt(entries, n, field, field, t)
}

// ruleAt is ruleFrom where unknown keys were reported under keysField.
func (d *decoder) ruleAt(entries []entry, n *yaml.Node, field, keysField string, t *target) (*rule, bool) {
	r := &rule{field: t.name, required: t.required, maxLen: t.maxLen, check: t.check,
		secret: t.password || t.secret, freeText: t.freeText}
	var sources []entry
	for _, e := range entries {
		if contains(sourceKeys, e.key) {
			sources = append(sources, e)
			continue
		}
		d.option(r, e, join(field, e.key), t)
	}
	d.missingGroups(r, entries, field)
	gen := d.source(r, sources, n, field, t, !d.suggestedAny(keysField, sourceKeys...))
	if gen && len(entries) > 1 {
		d.failf(n, field, "generate: true stands alone; remove the other keys")
	}
	if gen {
		return nil, true
	}
	d.defaults(r, t)
	return r, false
}

// option decodes one non-source key of a rule.
func (d *decoder) option(r *rule, e entry, field string, t *target) {
	switch e.key {
	case "transforms":
		r.steps = d.transforms(e.val, field)
	case "split":
		if d.allowed(e, field, t.kind == kindList, "split applies only to UserGroup and UserOrg") {
			r.split, _ = d.text(e.val, field)
		}
	case "lookup":
		r.lookup = d.lookup(e.val, field)
	case "phone":
		if d.allowed(e, field, t.kind == kindText, "phone applies only to text parameters") {
			r.phone = d.phone(e.val, field)
		}
	case "date":
		if d.allowed(e, field, t.kind == kindDate, "date applies only to Birthdate") {
			r.date = d.date(e.val, field)
		}
	case "required":
		d.required(r, e.val, field, t)
	case "max_length":
		d.maxLength(r, e.val, field, t)
	case "update":
		if d.allowed(e, field, t.password, "update applies only to Password") {
			r.update, _ = d.boolean(e.val, field)
		}
	case "by":
		if d.allowed(e, field, t.name == groupTarget, "by applies only to UserGroup") {
			d.by(r, e.val, field)
		}
	}
}

// allowed reports ok, or records msg at the key.
func (d *decoder) allowed(e entry, field string, ok bool, msg string) bool {
	if !ok {
		d.failf(e.knode, field, "%s", msg)
	}
	return ok
}

// required decodes required: true|false.
func (d *decoder) required(r *rule, n *yaml.Node, field string, t *target) {
	b, ok := d.boolean(n, field)
	if ok && !b && t.required {
		d.failf(n, field, "%s is always required by CreateUser", t.name)
	}
	r.required = b || t.required
}

// maxLength decodes max_length, which may only tighten a CIAM limit.
func (d *decoder) maxLength(r *rule, n *yaml.Node, field string, t *target) {
	if t.kind != kindText {
		d.failf(n, field, "max_length applies only to text parameters")
		return
	}
	v, ok := d.positive(n, field)
	if ok && t.maxLen > 0 && v > t.maxLen {
		d.failf(n, field, "cannot exceed %d, the limit for %s", t.maxLen, t.name)
		return
	}
	if ok {
		r.maxLen = v
	}
}

// defaults fills in implicit normalisation.
func (d *decoder) defaults(r *rule, t *target) {
	if t.phone && r.phone == nil {
		r.phone = &phoneRule{format: formatCIAM}
	}
	if t.kind == kindDate && r.date == nil {
		r.date = &dateRule{layouts: []string{layoutUnixMS}, loc: time.UTC}
	}
}

// source decodes the single value source of a rule and reports whether it is
// generate: true.
func (d *decoder) source(r *rule, sources []entry, n *yaml.Node, field string, t *target, report bool) bool {
	if len(sources) == 0 {
		if report {
			d.failf(n, field, "needs a source: from, const or template%s", generateHint(t))
		}
		return false
	}
	if len(sources) > 1 {
		names := make([]string, len(sources))
		for i, e := range sources {
			names[i] = e.key
		}
		d.failf(sources[1].knode, field, "has several sources (%s); keep exactly one", strings.Join(names, ", "))
		return false
	}
	e := sources[0]
	f := join(field, e.key)
	switch e.key {
	case "from":
		r.src = d.from(e.val, f)
	case "const":
		r.src = d.constant(e.val, f, t)
	case "template":
		r.src = d.template(e.val, f, t)
	case "generate":
		return d.generate(e.val, f, t)
	}
	return false
}
