package mapping

import (
	"encoding/json"
	"strconv"
	"strings"
)

// source produces a rule's raw value from a row. get returns the value, or a
// non-empty reason when the value cannot be produced.
type source interface {
	get(row Row) (any, string)
	// name is what FieldError.Source reports.
	name() string
}

// path is a source field name; for nested JSON, a dot-separated path whose
// segments are object keys or list indexes ("profile.emails.0").
type path struct {
	full string
	segs []string
}

// newPath splits p on dots.
func newPath(p string) path { return path{full: p, segs: strings.Split(p, ".")} }

// valid reports whether no segment is empty.
func (p path) valid() bool {
	for _, s := range p.segs {
		if s == "" {
			return false
		}
	}
	return true
}

// lookup returns the value at p. A key equal to the whole path wins, so flat
// CSV headers containing dots still work.
func (p path) lookup(row Row) (any, bool) {
	if v, ok := row[p.full]; ok || len(p.segs) == 1 {
		return v, ok
	}
	var cur any = row
	for _, seg := range p.segs {
		next, ok := child(cur, seg)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// child steps one path segment into an object or list.
func child(v any, seg string) (any, bool) {
	switch c := v.(type) {
	case map[string]any:
		next, ok := c[seg]
		return next, ok
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(c) {
			return nil, false
		}
		return c[i], true
	}
	return nil, false
}

// stringify renders a scalar row value as text; lists and objects yield a
// reason instead.
func stringify(v any) (string, string) {
	switch x := v.(type) {
	case string:
		return x, ""
	case nil:
		return "", ""
	case json.Number:
		return x.String(), ""
	case bool:
		return strconv.FormatBool(x), ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), ""
	case int:
		return strconv.Itoa(x), ""
	case int64:
		return strconv.FormatInt(x, 10), ""
	case []any, []string:
		return "", "is a list, expected a single value"
	case map[string]any:
		return "", "is an object, expected a single value"
	}
	return "", "has an unsupported type"
}

// fromSource reads a source field; a missing field is an empty value.
type fromSource struct{ p path }

func (s fromSource) get(row Row) (any, string) {
	v, _ := s.p.lookup(row)
	return v, ""
}

func (s fromSource) name() string { return s.p.full }

// constSource yields the same string or []string for every row.
type constSource struct{ v any }

func (s constSource) get(Row) (any, string) { return s.v, "" }

func (constSource) name() string { return "const" }
