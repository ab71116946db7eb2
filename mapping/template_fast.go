package mapping

import (
	"encoding/json"
	"strconv"
	"strings"
	"text/template/parse"
)

// The fast path runs common templates without text/template's reflection:
// text, {{.a.b}}, {{index . "a" "b"}}, the functions lower, upper and trim
// (called or piped), and {{if}}/{{else if}}/{{else}}. It keeps text/template's
// semantics: whenever a value is one it does not print exactly like
// text/template (floats, lists, objects, a non-string passed to a function),
// it reports "undecided" and the template runs through text/template.

// tmplNode is one compiled piece: literal text, a printed value, or an if.
type tmplNode struct {
	text      string
	expr      *tmplExpr // {{expr}}
	cond      *tmplExpr // {{if cond}}then{{else}}els{{end}}
	then, els []tmplNode
}

// tmplExpr is a value: a strict field path or a lenient index, then funcs.
type tmplExpr struct {
	path  []string // {{.a.b}}: a missing field is an error
	index []any    // {{index . "a" "b"}} keys: a missing field is ""
	funcs []func(string) string
}

// fastFuncs are the template functions the fast path evaluates itself.
var fastFuncs = map[string]func(string) string{
	"lower": strings.ToLower, "upper": strings.ToUpper, "trim": strings.TrimSpace,
}

// compileFast compiles list, or reports false if it uses anything else.
func compileFast(list *parse.ListNode) ([]tmplNode, bool) {
	if list == nil {
		return nil, true
	}
	nodes := make([]tmplNode, 0, len(list.Nodes))
	for _, n := range list.Nodes {
		node, ok := compileNode(n)
		if !ok {
			return nil, false
		}
		nodes = append(nodes, node)
	}
	return nodes, true
}

// compileNode compiles one text, action or if node.
func compileNode(n parse.Node) (tmplNode, bool) {
	switch n := n.(type) {
	case *parse.TextNode:
		return tmplNode{text: string(n.Text)}, true
	case *parse.ActionNode:
		e, ok := compileExpr(n.Pipe)
		return tmplNode{expr: e}, ok
	case *parse.IfNode:
		cond, ok := compileExpr(n.Pipe)
		then, okThen := compileFast(n.List)
		els, okElse := compileFast(n.ElseList)
		return tmplNode{cond: cond, then: then, els: els}, ok && okThen && okElse
	}
	return tmplNode{}, false
}

// compileExpr compiles a pipeline such as .a, upper .a, .a | trim | lower,
// or index . "a" "b".
func compileExpr(p *parse.PipeNode) (*tmplExpr, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) == 0 {
		return nil, false
	}
	e := &tmplExpr{}
	if !e.first(p.Cmds[0].Args) {
		return nil, false
	}
	for _, c := range p.Cmds[1:] {
		f, ok := fastFunc(c.Args)
		if !ok {
			return nil, false
		}
		e.funcs = append(e.funcs, f)
	}
	return e, true
}

// first compiles the first command of a pipeline.
func (e *tmplExpr) first(args []parse.Node) bool {
	if len(args) == 0 {
		return false
	}
	if id, ok := args[0].(*parse.IdentifierNode); ok && id.Ident == "index" {
		return e.indexArgs(args[1:])
	}
	if f, ok := fastFunc(args[:1]); ok && len(args) == 2 {
		e.funcs = append(e.funcs, f)
		args = args[1:]
	}
	field, ok := args[0].(*parse.FieldNode)
	if ok && len(args) == 1 {
		e.path = field.Ident
	}
	return ok && len(args) == 1
}

// indexArgs compiles the arguments of index . "a" 0.
func (e *tmplExpr) indexArgs(args []parse.Node) bool {
	if len(args) < 2 || !isRow(args[0], true) {
		return false
	}
	for _, a := range args[1:] {
		switch a := a.(type) {
		case *parse.StringNode:
			e.index = append(e.index, a.Text)
		case *parse.NumberNode:
			if !a.IsInt {
				return false
			}
			e.index = append(e.index, strconv.FormatInt(a.Int64, 10))
		default:
			return false
		}
	}
	return true
}

// fastFunc recognises a bare lower, upper or trim.
func fastFunc(args []parse.Node) (func(string) string, bool) {
	if len(args) != 1 {
		return nil, false
	}
	id, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return nil, false
	}
	f, ok := fastFuncs[id.Ident]
	return f, ok
}

// truth is text/template's truth for the values rows hold.
func truth(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case json.Number:
		return x != ""
	case bool:
		return x
	case int:
		return x != 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}
