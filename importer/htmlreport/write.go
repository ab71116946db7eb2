package htmlreport

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

//go:embed report.html.tmpl
var pageSource string

// page is the parsed template; parsing is checked by the tests.
var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"num":   num,
	"dec":   dec,
	"stamp": stamp,
	"class": outcomeClass,
	"f1":    func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	"f2":    func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
	"sep":   func(x float64) float64 { return x - gapW/2 },
	"parts": codeParts,
}).Parse(pageSource))

// codeParts splits an error code after each dot: the page allows a line
// break there (<wbr>) and nowhere else, so a code never wraps mid-word.
func codeParts(code string) []string { return strings.SplitAfter(code, ".") }

// Write renders d as one self-contained HTML page to w. Every string of d
// is escaped for its context. It returns w's write error.
func Write(w io.Writer, d Data) error {
	if err := page.Execute(w, newView(d)); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}
