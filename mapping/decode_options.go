package mapping

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// lookup decodes lookup: {table: {...}, missing: reject|drop|keep}.
func (d *decoder) lookup(n *yaml.Node, field string) *lookup {
	entries, ok := d.mapping(n, field, []string{"table", "missing"})
	if !ok {
		return nil
	}
	l, hasTable := &lookup{}, false
	for _, e := range entries {
		f := join(field, e.key)
		if e.key == "table" {
			l.table, hasTable = d.table(e.val, f), true
			continue
		}
		s, _ := d.text(e.val, f)
		mode, known := missingModes[s]
		if s != "" && !known {
			d.failf(e.val, f, "must be reject, drop or keep")
		}
		l.missing = mode
	}
	if !hasTable {
		d.failf(n, field, "needs a table of source value: CIAM value")
	}
	return l
}

// table decodes a lookup table of scalar keys and values.
func (d *decoder) table(n *yaml.Node, field string) map[string]string {
	entries, ok := d.mapping(n, field, nil)
	if !ok {
		return nil
	}
	if len(entries) == 0 {
		d.failf(n, field, "must not be empty")
	}
	t := make(map[string]string, len(entries))
	for _, e := range entries {
		v, _ := d.scalar(e.val, join(field, e.key))
		t[e.key] = v
	}
	return t
}

// phone decodes phone: {default_region: CN, format: ciam|e164}.
func (d *decoder) phone(n *yaml.Node, field string) *phoneRule {
	entries, ok := d.mapping(n, field, []string{"default_region", "format"})
	if !ok {
		return nil
	}
	p := &phoneRule{}
	for _, e := range entries {
		f := join(field, e.key)
		s, ok := d.text(e.val, f)
		if !ok {
			continue
		}
		if e.key == "default_region" {
			p.region = d.region(e.val, f, s)
			continue
		}
		format, known := phoneFormats[s]
		if !known {
			d.failf(e.val, f, "must be ciam (+86-13800138000) or e164 (+8613800138000)")
		}
		p.format = format
	}
	return p
}

// region validates a phone region code such as CN.
func (d *decoder) region(n *yaml.Node, field, s string) string {
	r := strings.ToUpper(s)
	if !validRegion(r) || r == unknownRegion {
		d.failf(n, field, "unknown region %q; use a two-letter country code such as CN, US or GB", s)
	}
	return r
}

// date decodes date: {layout: ..., timezone: ...}.
func (d *decoder) date(n *yaml.Node, field string) *dateRule {
	entries, ok := d.mapping(n, field, []string{"layout", "timezone"})
	if !ok {
		return nil
	}
	r, hasLayout := &dateRule{loc: time.UTC}, false
	for _, e := range entries {
		f := join(field, e.key)
		if e.key == "layout" {
			r.layouts, hasLayout = d.layouts(e.val, f), true
		} else {
			r.loc = d.timezone(e.val, f)
		}
	}
	if !hasLayout {
		d.failf(n, field, "needs a layout, e.g. layout: 2006-01-02")
	}
	r.seconds = contains(r.layouts, layoutUnix) && !contains(r.layouts, layoutUnixMS)
	return r
}

// layouts decodes one layout or a list of layouts tried in order.
func (d *decoder) layouts(n *yaml.Node, field string) []string {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []string
	for i, item := range items {
		f := field
		if n.Kind == yaml.SequenceNode {
			f = fmt.Sprintf("%s[%d]", field, i)
		}
		if l, ok := d.layout(item, f); ok {
			out = append(out, l)
		}
	}
	return out
}

// layout validates one layout.
func (d *decoder) layout(n *yaml.Node, field string) (string, bool) {
	s, ok := d.text(n, field)
	if !ok {
		return "", false
	}
	if named, ok := namedLayouts[s]; ok {
		return named, true
	}
	if s == layoutUnix || s == layoutUnixMS {
		return s, true
	}
	if msg := layoutProblem(s); msg != "" {
		d.failf(n, field, "%q is %s", s, msg)
		return "", false
	}
	return s, true
}

// timezone loads an IANA time zone.
func (d *decoder) timezone(n *yaml.Node, field string) *time.Location {
	s, ok := d.text(n, field)
	if !ok {
		return time.UTC
	}
	loc, err := time.LoadLocation(s)
	if err != nil || s == "Local" {
		d.failf(n, field, "unknown time zone %q; use an IANA name such as Asia/Shanghai or UTC", s)
		return time.UTC
	}
	return loc
}
