package mapping

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// decoder walks a yaml.Node tree and collects every problem as a *SpecError,
// so that one Parse reports all of them.
type decoder struct {
	file string
	errs []error
	refs []sourceRef
	// plaintextEnum is WithPlaintextViaImportJob's value.
	plaintextEnum string
	// suggested holds the dotted paths an unknown key was taken to mean
	// ("did you mean"); a missing key on that path is not reported again.
	suggested map[string]bool
}

// suggestedAny reports whether an unknown key under field was taken to mean
// one of names.
func (d *decoder) suggestedAny(field string, names ...string) bool {
	for _, n := range names {
		if d.suggested[join(field, n)] {
			return true
		}
	}
	return false
}

// entry is one key/value pair of a YAML mapping.
type entry struct {
	key   string
	knode *yaml.Node
	val   *yaml.Node
}

// failf records a SpecError at node n. Nothing is recorded at an alias,
// which noAliases has reported already.
func (d *decoder) failf(n *yaml.Node, field, format string, args ...any) {
	if n.Kind == yaml.AliasNode {
		return
	}
	d.errs = append(d.errs, &SpecError{
		File: d.file, Line: n.Line, Column: n.Column, Field: field,
		Msg: fmt.Sprintf(format, args...),
	})
}

// sorted returns the errors in file order.
func (d *decoder) sorted() []error {
	slices.SortStableFunc(d.errs, func(a, b error) int {
		x, y := a.(*SpecError), b.(*SpecError)
		return cmp.Or(cmp.Compare(x.Line, y.Line), cmp.Compare(x.Column, y.Column))
	})
	return d.errs
}

// mapping returns the entries of the mapping node n, reporting a non-mapping,
// non-scalar or duplicate keys and keys not in allowed (nil allows any key).
func (d *decoder) mapping(n *yaml.Node, field string, allowed []string) ([]entry, bool) {
	if n.Kind != yaml.MappingNode {
		d.failf(n, field, "must be a mapping (key: value lines), not %s", describe(n))
		return nil, false
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	entries := make([]entry, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if e, ok := d.key(k, v, field, seen, allowed); ok {
			entries = append(entries, e)
		}
	}
	return entries, true
}

// key validates one mapping key.
func (d *decoder) key(k, v *yaml.Node, field string, seen map[string]*yaml.Node, allowed []string) (entry, bool) {
	if k.ShortTag() == "!!merge" {
		return entry{}, false // reported by noAliases
	}
	if k.Kind != yaml.ScalarNode {
		d.failf(k, field, "keys must be plain names")
		return entry{}, false
	}
	if prev, dup := seen[k.Value]; dup {
		d.failf(k, join(field, k.Value), "duplicate key (first defined on line %d)", prev.Line)
		return entry{}, false
	}
	seen[k.Value] = k
	if allowed != nil && !contains(allowed, k.Value) {
		d.unknownKey(k, field, allowed)
		return entry{}, false
	}
	return entry{key: k.Value, knode: k, val: v}, true
}

// unknownKey reports key k, not in allowed, and remembers what it most
// likely means (and the key itself: a source key where none is allowed
// still counts as the rule's source).
func (d *decoder) unknownKey(k *yaml.Node, field string, allowed []string) {
	d.failf(k, join(field, k.Value), "unknown key%s; allowed: %s", suggest(k.Value, allowed), list(allowed))
	if d.suggested == nil {
		d.suggested = map[string]bool{}
	}
	d.suggested[join(field, k.Value)] = true
	if best := closest(k.Value, allowed); best != "" {
		d.suggested[join(field, best)] = true
	}
}

// scalar returns the text of a scalar node ("" for null).
func (d *decoder) scalar(n *yaml.Node, field string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.failf(n, field, "must be a single value, not %s", describe(n))
		return "", false
	}
	if n.ShortTag() == "!!null" {
		return "", true
	}
	return n.Value, true
}

// text returns a non-empty scalar.
func (d *decoder) text(n *yaml.Node, field string) (string, bool) {
	s, ok := d.scalar(n, field)
	if ok && s == "" {
		d.failf(n, field, "must not be empty")
		return "", false
	}
	return s, ok
}

// boolean returns a true/false scalar.
func (d *decoder) boolean(n *yaml.Node, field string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		if b, err := strconv.ParseBool(n.Value); err == nil {
			return b, true
		}
	}
	d.failf(n, field, "must be true or false")
	return false, false
}

// positive returns an integer scalar greater than zero.
func (d *decoder) positive(n *yaml.Node, field string) (int, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil && v > 0 {
			return v, true
		}
	}
	d.failf(n, field, "must be a whole number greater than 0")
	return 0, false
}

// describe names the kind of a node for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "empty"
		}
		return "a single value"
	}
	return "an alias"
}

// join appends a key to a dotted field path.
func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}
