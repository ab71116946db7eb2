package mapping

import (
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// simpleSteps are the transforms written as a bare name.
var simpleSteps = map[string]step{
	"trim": trimStep{}, "lower": lowerStep{}, "upper": upperStep{}, "collapse_spaces": collapseStep{},
}

// transformNames lists every transform for error messages.
var transformNames = []string{"trim", "lower", "upper", "collapse_spaces", "default", "regex_replace", "truncate"}

// notTransforms are rule keys people may mistake for transforms.
var notTransforms = map[string]string{
	"split":  `split is not a transform; write split: ";" next to from`,
	"lookup": "lookup is not a transform; write lookup: {table: ...} next to from",
}

// transforms decodes the transforms list.
func (d *decoder) transforms(n *yaml.Node, field string) []step {
	if n.Kind != yaml.SequenceNode {
		d.failf(n, field, "must be a list, e.g. [trim, lower]")
		return nil
	}
	steps := make([]step, 0, len(n.Content))
	for i, item := range n.Content {
		if st := d.transform(item, fmt.Sprintf("%s[%d]", field, i)); st != nil {
			steps = append(steps, st)
		}
	}
	return steps
}

// transform decodes one list item: a name, or a one-key mapping {name: arg}.
func (d *decoder) transform(n *yaml.Node, field string) step {
	switch {
	case n.Kind == yaml.ScalarNode:
		if st, ok := simpleSteps[n.Value]; ok {
			return st
		}
		d.unknownTransform(n, field, n.Value, true)
	case n.Kind == yaml.MappingNode && len(n.Content) == 2:
		return d.transformArg(n.Content[0], n.Content[1], field)
	default:
		d.failf(n, field, "must be a transform name or {name: argument}, one per list item")
	}
	return nil
}

// transformArg decodes {name: arg}.
func (d *decoder) transformArg(k, v *yaml.Node, field string) step {
	field = join(field, k.Value)
	switch k.Value {
	case "trim":
		if s, ok := d.text(v, field); ok {
			return trimCharsStep{cutset: s}
		}
	case "default":
		s, ok := d.scalar(v, field)
		if ok {
			return defaultStep{v: s}
		}
	case "truncate":
		if n, ok := d.positive(v, field); ok {
			return truncateStep{n: n}
		}
	case "regex_replace":
		return d.regexReplace(v, field)
	default:
		d.unknownTransform(k, field, k.Value, false)
	}
	return nil
}

// unknownTransform reports a bad transform name.
func (d *decoder) unknownTransform(n *yaml.Node, field, name string, bare bool) {
	if hint, ok := notTransforms[name]; ok {
		d.failf(n, field, "%s", hint)
		return
	}
	if _, ok := simpleSteps[name]; ok && name != "trim" {
		d.failf(n, field, "%s takes no argument; write it as a bare name", name)
		return
	}
	if bare && contains(transformNames, name) {
		d.failf(n, field, "%s needs an argument, e.g. {%s: ...}", name, name)
		return
	}
	d.failf(n, field, "unknown transform %q%s; known: %s", name, suggest(name, transformNames), list(transformNames))
}

// regexReplace decodes {regex_replace: {pattern: ..., replacement: ...}}.
func (d *decoder) regexReplace(n *yaml.Node, field string) step {
	entries, ok := d.mapping(n, field, []string{"pattern", "replacement"})
	if !ok {
		return nil
	}
	var st regexStep
	hasPattern := false
	for _, e := range entries {
		f := join(field, e.key)
		if e.key == "replacement" {
			st.repl, _ = d.scalar(e.val, f)
			continue
		}
		hasPattern = true
		if p, ok := d.text(e.val, f); ok {
			re, err := regexp.Compile(p)
			if err != nil {
				d.failf(e.val, f, "cannot compile: %v", err)
			}
			st.re = re
		}
	}
	if !hasPattern {
		d.failf(n, field, "needs a pattern")
	}
	if st.re == nil {
		return nil
	}
	st.pieces = splitRefs(st.repl)
	return st
}
