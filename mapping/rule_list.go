package mapping

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// list produces a list value (UserGroup, UserOrg); nil means not sent.
// Transforms run on each element, except default, which fills an empty list.
// Empty elements are dropped and duplicates removed, keeping order.
func (r *rule) list(row Row) ([]string, *FieldError) {
	v, reason := r.src.get(row)
	if reason != "" {
		return nil, r.fail(ErrInvalid, reason)
	}
	items, reason := r.elements(v)
	if reason != "" {
		return nil, r.fail(ErrInvalid, reason)
	}
	items, fe := r.transformList(items)
	if fe != nil {
		return nil, fe
	}
	if fe := r.lookupList(items); fe != nil {
		return nil, fe
	}
	if fe := r.resolveGroups(items); fe != nil {
		return nil, fe
	}
	return r.compact(items)
}

// elements turns a raw value into list elements, splitting text on r.split.
func (r *rule) elements(v any) ([]string, string) {
	list, isList := v.([]any)
	if !isList {
		list = []any{v}
	}
	var out []string
	for i, item := range list {
		s, reason := stringify(item)
		if reason != "" && isList {
			return nil, fmt.Sprintf("element %d %s", i+1, reason)
		}
		if reason != "" {
			return nil, reason
		}
		out = r.splitInto(out, s)
	}
	return out, ""
}

// splitInto appends the parts of s to out.
func (r *rule) splitInto(out []string, s string) []string {
	if s == "" {
		return out
	}
	if r.split == "" {
		return append(out, s)
	}
	return append(out, strings.Split(s, r.split)...)
}

// transformList applies the transforms element-wise.
func (r *rule) transformList(items []string) ([]string, *FieldError) {
	for n, st := range r.steps {
		if d, ok := st.(defaultStep); ok {
			if !slices.ContainsFunc(items, func(s string) bool { return s != "" }) {
				items = []string{d.v}
			}
			continue
		}
		for i := range items {
			var fe *FieldError
			if items[i], fe = r.applyStep(n, st, items[i]); fe != nil {
				return nil, fe
			}
		}
	}
	return items, nil
}

// lookupList translates each non-empty element in place.
func (r *rule) lookupList(items []string) *FieldError {
	if r.lookup == nil {
		return nil
	}
	for i, s := range items {
		if s == "" {
			continue
		}
		v, ok := r.lookup.get(s)
		if !ok {
			return r.fail(ErrNotInTable, fmt.Sprintf("element %d is not in the lookup table", i+1))
		}
		items[i] = v
	}
	return nil
}

// compact drops empty and duplicate elements and applies the final checks.
func (r *rule) compact(items []string) ([]string, *FieldError) {
	out := items[:0]
	for _, s := range items {
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if !utf8.ValidString(s) {
			return nil, r.fail(ErrInvalid, "is not valid UTF-8")
		}
		if reason := controlProblem(s, false); reason != "" {
			return nil, r.fail(ErrInvalid, reason)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		if r.required {
			return nil, r.fail(ErrEmpty, "is empty")
		}
		return nil, nil
	}
	return out, nil
}
