package source

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// duplicateMember finds the first member name that appears twice in one
// object of b (a valid JSON value), at any depth, comparing names after
// their escapes are decoded ("a" and "\u0061" are the same name). It
// returns the name, its path ("" at the top level) and the column just past
// its second occurrence (that of its closing quote); ok is false when there is none. encoding/json
// would keep the last value silently, where a duplicate CSV column is
// refused.
func duplicateMember(b []byte) (name, path string, col int, ok bool) {
	if bytes.Count(b, []byte(`":`))+bytes.Count(b, []byte(`" :`)) < 2 {
		return "", "", 0, false // fewer than two members: nothing to compare
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	type level struct {
		names map[string]bool // nil for an array
		path  string
		key   bool // in an object, the next token is a member name
	}
	var stack []*level
	var last string // the last member name, for nested paths
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", "", 0, false
		}
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, isStr := tok.(string); isStr && top != nil && top.key {
			if top.names[s] {
				return s, top.path, int(dec.InputOffset()), true
			}
			top.names[s], top.key, last = true, false, s
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			l := &level{}
			if top != nil {
				l.path = top.path
				if top.names != nil {
					l.path = joinPath(top.path, last)
				}
			}
			if tok == json.Delim('{') {
				l.names, l.key = map[string]bool{}, true
			}
			stack = append(stack, l)
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].names != nil {
			stack[len(stack)-1].key = true // a value ended: a name comes next
		}
	}
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// duplicateError is the row error of a duplicate member name.
func duplicateError(name, path string) error {
	if path != "" {
		name = path + "." + name
	}
	return fmt.Errorf("%w: duplicate member name %q (the object names it twice; which value is meant is unclear)", ErrInvalidJSON, name)
}
