package mapping

import (
	"text/template"
	"text/template/parse"
)

// templateFields returns the top-level row fields a template reads: {{.a}},
// {{.a.b}} (field "a"), {{$.a}} and {{index . "a"}}. Fields read inside
// range/with bodies, where dot is no longer the row, are not reported.
func templateFields(t *template.Template) []string {
	w := &fieldWalker{seen: map[string]bool{}}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			w.node(tt.Root, true)
		}
	}
	return w.fields
}

// fieldWalker collects field names from a template parse tree.
type fieldWalker struct {
	fields []string
	seen   map[string]bool
}

// add records a field name once.
func (w *fieldWalker) add(name string) {
	if !w.seen[name] {
		w.seen[name] = true
		w.fields = append(w.fields, name)
	}
}

// node walks a node; rootDot says whether dot is the row here.
func (w *fieldWalker) node(n parse.Node, rootDot bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				w.node(c, rootDot)
			}
		}
	case *parse.ActionNode:
		w.pipe(n.Pipe, rootDot)
	case *parse.IfNode:
		w.branch(&n.BranchNode, rootDot, rootDot)
	case *parse.RangeNode:
		w.branch(&n.BranchNode, rootDot, false)
	case *parse.WithNode:
		w.branch(&n.BranchNode, rootDot, false)
	case *parse.TemplateNode:
		w.pipe(n.Pipe, rootDot)
	}
}

// branch walks if/range/with; bodyDot says whether dot is the row in the body.
func (w *fieldWalker) branch(b *parse.BranchNode, rootDot, bodyDot bool) {
	w.pipe(b.Pipe, rootDot)
	if b.List != nil {
		w.node(b.List, bodyDot)
	}
	if b.ElseList != nil {
		w.node(b.ElseList, rootDot)
	}
}

// pipe walks the commands of a pipeline.
func (w *fieldWalker) pipe(p *parse.PipeNode, rootDot bool) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		w.indexOfRow(c, rootDot)
		for _, a := range c.Args {
			w.arg(a, rootDot)
		}
	}
}

// arg walks one command argument.
func (w *fieldWalker) arg(a parse.Node, rootDot bool) {
	switch a := a.(type) {
	case *parse.FieldNode:
		if rootDot {
			w.add(a.Ident[0])
		}
	case *parse.VariableNode:
		if len(a.Ident) > 1 && a.Ident[0] == "$" {
			w.add(a.Ident[1])
		}
	case *parse.PipeNode:
		w.pipe(a, rootDot)
	case *parse.ChainNode:
		w.arg(a.Node, rootDot)
	}
}

// indexOfRow records "a" from {{index . "a"}} or {{index $ "a"}}.
func (w *fieldWalker) indexOfRow(c *parse.CommandNode, rootDot bool) {
	if len(c.Args) < 3 {
		return
	}
	if id, ok := c.Args[0].(*parse.IdentifierNode); !ok || id.Ident != "index" {
		return
	}
	if !isRow(c.Args[1], rootDot) {
		return
	}
	if s, ok := c.Args[2].(*parse.StringNode); ok {
		w.add(s.Text)
	}
}

// isRow reports whether n evaluates to the row.
func isRow(n parse.Node, rootDot bool) bool {
	switch n := n.(type) {
	case *parse.DotNode:
		return rootDot
	case *parse.VariableNode:
		return len(n.Ident) == 1 && n.Ident[0] == "$"
	}
	return false
}
