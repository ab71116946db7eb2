package mapping

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Warning is a problem found in sample rows that does not stop an import by
// itself. Line and Column locate the mapping key reading Source; Field is
// its dotted mapping path, such as "fields.Email.from".
type Warning struct {
	File   string
	Line   int
	Column int
	Field  string
	Source string
	Msg    string
}

// String formats the warning as "file:line:column: field: message".
func (w Warning) String() string {
	return (&SpecError{File: w.File, Line: w.Line, Column: w.Column, Field: w.Field, Msg: w.Msg}).Error()
}

// maxPreflightDepth bounds how deep Preflight looks for field names to
// suggest in nested rows.
const maxPreflightDepth = 4

// Preflight checks a sample of rows (the first rows of an input, as Map
// receives them) against the mapping: it returns one Warning, in mapping
// file order, for every source field read by key, from, algorithm_from or a
// template that is missing or empty (null, "", white space, an empty list or
// object) in all of them, naming the closest field names that do hold data.
// It returns nil for no rows. Preflight reads no values into its messages
// but field names.
func (s *Spec) Preflight(rows []Row) []Warning {
	if len(rows) == 0 {
		return nil
	}
	var names []string
	var out []Warning
	for _, r := range s.refs {
		present, filled := sampleField(rows, newPath(r.name))
		if filled {
			continue
		}
		if names == nil {
			names = filledNames(rows)
		}
		out = append(out, Warning{File: s.file, Line: r.line, Column: r.column, Field: r.field, Source: r.name,
			Msg: preflightMsg(r.name, present, len(rows), names)})
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return out
}

// sampleField reports whether p is present in some row and non-empty in
// some row.
func sampleField(rows []Row, p path) (present, filled bool) {
	for _, row := range rows {
		v, ok := p.lookup(row)
		present = present || ok
		if ok && !emptyValue(v) {
			return true, true
		}
	}
	return present, false
}

// preflightMsg words one warning.
func preflightMsg(name string, present bool, n int, names []string) string {
	state := "missing"
	if present {
		state = "empty"
	}
	msg := fmt.Sprintf("source field %q is %s in all %d sampled rows", name, state, n)
	if close := closestN(name, names, 3); len(close) > 0 {
		quoted := make([]string, len(close))
		for i, c := range close {
			quoted[i] = fmt.Sprintf("%q", c)
		}
		msg += " (closest fields with data: " + strings.Join(quoted, ", ") + ")"
	}
	return msg
}

// emptyValue reports whether v counts as empty.
func emptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// filledNames returns the sorted paths of the fields holding data (not an
// object) in some row, fields of nested objects as dotted paths.
func filledNames(rows []Row) []string {
	seen := map[string]bool{}
	for _, row := range rows {
		collectNames(seen, "", row, 1)
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// collectNames adds the paths under m to seen.
func collectNames(seen map[string]bool, prefix string, m map[string]any, depth int) {
	for k, v := range m {
		name := join(prefix, k)
		if child, ok := v.(map[string]any); ok {
			if depth < maxPreflightDepth {
				collectNames(seen, name, child, depth+1)
			}
			continue
		}
		if !emptyValue(v) {
			seen[name] = true
		}
	}
}
