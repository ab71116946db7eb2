package mapping

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// execFast renders nodes into b. decided is false when text/template must
// run instead; reason is set when the template fails.
func execFast(b *strings.Builder, nodes []tmplNode, row Row) (reason string, decided bool) {
	for i := range nodes {
		n := &nodes[i]
		switch {
		case n.expr != nil:
			v, reason, decided := n.expr.value(row)
			s, printable := printValue(v)
			if reason != "" || !decided || !printable {
				return reason, decided && printable
			}
			b.WriteString(s)
		case n.cond != nil:
			v, reason, decided := n.cond.value(row)
			if reason != "" || !decided {
				return reason, decided
			}
			branch := n.els
			if truth(v) {
				branch = n.then
			}
			if reason, decided := execFast(b, branch, row); reason != "" || !decided {
				return reason, decided
			}
		default:
			b.WriteString(n.text)
		}
	}
	return "", true
}

// value evaluates the expression.
func (e *tmplExpr) value(row Row) (v any, reason string, decided bool) {
	if e.index != nil {
		v = indexValue(row, e.index...)
	} else if v, decided = walk(row, e.path); !decided {
		return nil, fmt.Sprintf("source field %q is missing", strings.Join(e.path, ".")), true
	}
	for _, f := range e.funcs {
		s, ok := v.(string)
		if v == nil {
			s, ok = "", true
		}
		if !ok {
			return nil, "", false // text/template rejects or converts it; let it
		}
		v = f(s)
	}
	return v, "", true
}

// printValue prints v as text/template would, for the types where that is
// simple; printable is false otherwise.
func printValue(v any) (s string, printable bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case nil:
		return "", true
	case json.Number:
		return string(x), true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}
