package mapping

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// attrKeys are the keys allowed in a CustomizationAttributes entry.
var attrKeys = append([]string{"name", "type"}, ruleKeys...)

// attributeTypeNames lists the accepted attribute types.
var attributeTypeNames = []string{"STRING", "NUMBER", "BOOLEAN"}

// attributes decodes the CustomizationAttributes list.
func (d *decoder) attributes(n *yaml.Node) []attrRule {
	if n.Kind != yaml.SequenceNode {
		d.failf(n, "fields."+attributesKey, "must be a list of {name: ..., from: ..., type: ...} entries")
		return nil
	}
	var out []attrRule
	seen := map[string]int{}
	for i, item := range n.Content {
		a, ok := d.attribute(item, i)
		if !ok {
			continue
		}
		if prev, dup := seen[a.name]; dup {
			d.failf(item, fmt.Sprintf("fields.%s[%s]", attributesKey, a.name),
				"duplicate attribute name (first defined on line %d)", prev)
			continue
		}
		seen[a.name] = item.Line
		out = append(out, a)
	}
	return out
}

// attribute decodes one entry.
func (d *decoder) attribute(n *yaml.Node, i int) (attrRule, bool) {
	field := fmt.Sprintf("fields.%s[%d]", attributesKey, i)
	entries, ok := d.mapping(n, field, attrKeys)
	if !ok {
		return attrRule{}, false
	}
	keysField := field
	a, hasName := attrRule{typ: "STRING"}, false
	for _, e := range entries {
		switch e.key {
		case "name":
			a.name, hasName = d.attrName(e.val, join(field, "name")), true
		case "type":
			a.typ = d.attrType(e.val, join(field, "type"))
		}
	}
	if a.name == "" {
		if !hasName {
			d.failf(n, field, "needs a name: the CIAM attribute name")
		}
		return attrRule{}, false
	}
	field = fmt.Sprintf("fields.%s[%s]", attributesKey, a.name)
	t := &target{name: fmt.Sprintf("%s[%s]", attributesKey, a.name), check: attributeTypes[a.typ], freeText: true}
	a.r, _ = d.ruleAt(entries, n, field, keysField, t)
	return a, a.r != nil
}

// attrName decodes an attribute name without white space.
func (d *decoder) attrName(n *yaml.Node, field string) string {
	s, ok := d.text(n, field)
	if ok && strings.ContainsAny(s, " \t\r\n[]") {
		d.failf(n, field, "must not contain spaces or brackets")
		return ""
	}
	return s
}

// attrType decodes STRING, NUMBER or BOOLEAN.
func (d *decoder) attrType(n *yaml.Node, field string) string {
	s, ok := d.text(n, field)
	if ok && !slices.Contains(attributeTypeNames, s) {
		d.failf(n, field, "unknown type %q%s; use one of %s", s, suggest(s, attributeTypeNames), list(attributeTypeNames))
	}
	return s
}
