package emulator

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// filter is one parsed DescribeUser condition.
type filter struct {
	key, value string
	op         string // = != > < >= <=
	negate     bool   // Logic false
}

// query is a parsed DescribeUser: conditions joined by AND, then a sort.
type query struct {
	filters []filter
	sort    *sortSpec
}

type sortSpec struct {
	key  string
	desc bool
}

// operators the emulator evaluates; "between" is documented but its value
// format is not, so it answers InvalidParameterValue.
var operators = []string{"=", "!=", ">", "<", ">=", "<="}

func parseFilters(in []queryUserFilter) (query, *apiError) {
	var q query
	seen := map[string]bool{}
	for i, f := range in {
		if !whitelisted(f.PropertyKey) {
			return q, newError(CodeQueryNotInWhitelist)
		}
		if seen[f.PropertyKey] {
			return q, newError(CodeQueryRepeat)
		}
		seen[f.PropertyKey] = true
		op := cmp.Or(f.OperateLogic, "=")
		if !slices.Contains(operators, op) || (f.PropertyKey == propUserGroup && op != "=" && op != "!=") {
			return q, errParamValue(fmt.Sprintf("Filters.%d.OperateLogic", i))
		}
		q.filters = append(q.filters, filter{key: f.PropertyKey, value: f.PropertyValue,
			op: op, negate: f.Logic != nil && !*f.Logic})
	}
	return q, nil
}

func parseSort(in *sortRequest) (*sortSpec, *apiError) {
	if in == nil {
		return nil, nil
	}
	if !whitelisted(in.PropertyKey) {
		return nil, newError(CodeSortNotInWhitelist)
	}
	switch strings.ToUpper(in.Order) {
	case "", "ASC":
		return &sortSpec{key: in.PropertyKey}, nil
	case "DESC":
		return &sortSpec{key: in.PropertyKey, desc: true}, nil
	}
	return nil, errParamValue("Sort.Order")
}

// run returns the matching users of st, in creation order unless sorted.
// A positive equality condition selects its candidates through the index;
// the other conditions then filter them. Call with s.mu held.
func (q query) run(st *userStore) []*User {
	candidates := st.all()
	for _, f := range q.filters {
		if f.op == "=" && !f.negate {
			candidates = st.lookup(f.key, f.value)
			break
		}
	}
	var out []*User
	for _, u := range candidates {
		if q.matches(u) {
			out = append(out, u)
		}
	}
	if q.sort != nil {
		slices.SortStableFunc(out, q.sort.compare)
	}
	return out
}

func (q query) matches(u *User) bool {
	for _, f := range q.filters {
		if f.matches(u) == f.negate {
			return false
		}
	}
	return true
}

func (f filter) matches(u *User) bool {
	if f.key == propUserGroup {
		return slices.Contains(u.UserGroups, f.value) == (f.op == "=")
	}
	v := scalarProps[f.key](u)
	if v == nil {
		return f.op == "!="
	}
	c := compareValues(f.key, *v, f.value)
	switch f.op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case ">":
		return c > 0
	case "<":
		return c < 0
	case ">=":
		return c >= 0
	}
	return c <= 0
}

// compareValues compares numerically for lastModifiedDate, else as strings.
func compareValues(key, a, b string) int {
	if key == propLastModifiedDate {
		x, errX := strconv.ParseInt(a, 10, 64)
		y, errY := strconv.ParseInt(b, 10, 64)
		if errX == nil && errY == nil {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(a, b)
}

func (s *sortSpec) compare(a, b *User) int {
	c := compareValues(s.key, sortValue(s.key, a), sortValue(s.key, b))
	if s.desc {
		return -c
	}
	return c
}

func sortValue(key string, u *User) string {
	if key == propUserGroup {
		if len(u.UserGroups) == 0 {
			return ""
		}
		return u.UserGroups[0]
	}
	if v := scalarProps[key](u); v != nil {
		return *v
	}
	return ""
}
