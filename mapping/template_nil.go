package mapping

// withoutNils returns row with JSON nulls replaced by "", so templates print
// nothing instead of "<no value>". Containers without nulls are not copied.
func withoutNils(row Row) Row {
	if out, changed := denil(row); changed {
		m, _ := out.(map[string]any)
		return m
	}
	return row
}

// denil replaces nils inside v and reports whether anything changed.
func denil(v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case map[string]any:
		return denilMap(x)
	case []any:
		return denilList(x)
	}
	return v, false
}

// denilMap copies m only if a value inside it changes.
func denilMap(m map[string]any) (any, bool) {
	var cp map[string]any
	for k, e := range m {
		d, changed := denil(e)
		if !changed {
			continue
		}
		if cp == nil {
			cp = make(map[string]any, len(m))
			for k2, e2 := range m {
				cp[k2] = e2
			}
		}
		cp[k] = d
	}
	if cp == nil {
		return m, false
	}
	return cp, true
}

// denilList copies l only if an element changes.
func denilList(l []any) (any, bool) {
	var cp []any
	for i, e := range l {
		d, changed := denil(e)
		if !changed {
			continue
		}
		if cp == nil {
			cp = append([]any(nil), l...)
		}
		cp[i] = d
	}
	if cp == nil {
		return l, false
	}
	return cp, true
}
