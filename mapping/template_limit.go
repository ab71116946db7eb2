package mapping

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
)

// Per row, a template may write at most templateMaxOutput bytes and take at
// most templateMaxSteps steps: a step is one piece of output or one
// iteration of range or one call of a {{template}}, counted even when it
// writes nothing. A template that exceeds either bound fails the row.
// text/template has no cancellation and no step limit of its own, so the
// bound is enforced through the writer: compileTemplate puts an empty text
// node at the start of every range body and every template body, and
// text/template calls Write for each text node, empty or not.
const (
	templateMaxOutput = 64 << 10
	templateMaxSteps  = 10_000
)

// Errors returned by boundedWriter; their text is the row's failure reason.
var (
	errTemplateOutput = fmt.Errorf("output exceeds the bound of %d bytes", templateMaxOutput)
	errTemplateSteps  = fmt.Errorf("takes more than %d steps (range iterations and output pieces)", templateMaxSteps)
)

// boundedWriter collects template output and fails past the bounds.
type boundedWriter struct {
	b     strings.Builder
	steps int
}

// Write appends p, or fails when the output or step bound is exceeded.
func (w *boundedWriter) Write(p []byte) (int, error) {
	if w.steps++; w.steps > templateMaxSteps {
		return 0, errTemplateSteps
	}
	if w.b.Len()+len(p) > templateMaxOutput {
		return 0, errTemplateOutput
	}
	return w.b.Write(p)
}

// boundError returns the bound a template execution error is about, or nil.
func boundError(err error) error {
	for _, b := range []error{errTemplateOutput, errTemplateSteps} {
		if errors.Is(err, b) {
			return b
		}
	}
	return nil
}

// instrument adds the step-counting empty text nodes to every template of t.
func instrument(t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree != nil && tt.Root != nil {
			stepList(tt.Root)
		}
	}
}

// stepList prepends an empty text node to list and instruments the range
// bodies inside it.
func stepList(list *parse.ListNode) {
	list.Nodes = append([]parse.Node{&parse.TextNode{NodeType: parse.NodeText, Pos: list.Pos}}, list.Nodes...)
	for _, n := range list.Nodes {
		stepNode(n)
	}
}

// stepNode instruments the lists under n; range bodies get a step node.
func stepNode(n parse.Node) {
	switch n := n.(type) {
	case *parse.RangeNode:
		stepList(n.List)
		stepInside(n.ElseList)
	case *parse.IfNode:
		stepInside(n.List)
		stepInside(n.ElseList)
	case *parse.WithNode:
		stepInside(n.List)
		stepInside(n.ElseList)
	}
}

// stepInside instruments the nodes of list without adding a step node.
func stepInside(list *parse.ListNode) {
	if list == nil {
		return
	}
	for _, n := range list.Nodes {
		stepNode(n)
	}
}

// rangeProblem explains why t ranges over a constant beyond the step bound,
// or returns "".
func rangeProblem(t *template.Template) string {
	for _, tt := range t.Templates() {
		if tt.Tree == nil {
			continue
		}
		if msg := rangeIn(tt.Root); msg != "" {
			return msg
		}
	}
	return ""
}

// rangeIn searches list for {{range N}} with N over the bound.
func rangeIn(list *parse.ListNode) string {
	if list == nil {
		return ""
	}
	for _, n := range list.Nodes {
		var msg string
		switch n := n.(type) {
		case *parse.RangeNode:
			msg = constantRange(n)
			msg = firstOf(msg, rangeIn(n.List), rangeIn(n.ElseList))
		case *parse.IfNode:
			msg = firstOf(rangeIn(n.List), rangeIn(n.ElseList))
		case *parse.WithNode:
			msg = firstOf(rangeIn(n.List), rangeIn(n.ElseList))
		}
		if msg != "" {
			return msg
		}
	}
	return ""
}

// constantRange checks {{range N}}.
func constantRange(n *parse.RangeNode) string {
	if n.Pipe == nil || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
		return ""
	}
	num, ok := n.Pipe.Cmds[0].Args[0].(*parse.NumberNode)
	if ok && num.IsInt && num.Int64 > templateMaxSteps {
		return fmt.Sprintf("range over %s exceeds the bound of %d steps per row", num.Text, templateMaxSteps)
	}
	return ""
}

// firstOf returns the first non-empty string.
func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
