package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// row is one line of the table: a figure, its target, and what it is
// measured against.
type row struct {
	id, figure, value, target, against string
	ok                                 *bool // nil: no target
}

func verdict(ok *bool) string {
	switch {
	case ok == nil:
		return ""
	case *ok:
		return "met"
	}
	return "**MISSED**"
}

func check(b bool) *bool { return &b }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianOf[T any](xs []T, f func(T) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	return median(v)
}

func pct(x float64) string { return fmt.Sprintf("%.2f %%", 100*x) }

func printTable(w io.Writer, c *config, r *results) {
	var rows []row
	rows = append(rows, quotaRows(c, r)...)
	rows = append(rows, headroomRows(r)...)
	rows = append(rows, sharedRows(r)...)
	rows = append(rows, dipRows(c, r)...)
	rows = append(rows, validateRows(c, r)...)
	rows = append(rows, memoryRows(c, r)...)
	rows = append(rows, jobPathRows(c, r)...)
	rows = append(rows, resumeRows(r)...)
	rows = append(rows, syncRows(r)...)
	rows = append(rows, verifyRows(r)...)
	rows = append(rows, dbRows(c, r)...)
	rows = append(rows, dedupRows(r)...)
	fmt.Fprintf(w, "\nciam-import bench, %s, %s; medians of %d runs where cheap (quota: %d runs)\n\n",
		r.started.Format(time.RFC3339), mode(c), c.runs, c.quotaRuns)
	fmt.Fprintln(w, "| # | figure | measured | target | verdict | measured against |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, x := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", x.id, x.figure, x.value, x.target, verdict(x.ok), x.against)
	}
	printInner(w, r.inner)
	printStalls(w, r.stalls)
}

func printStalls(w io.Writer, stalls []stall) {
	var parts []string
	for _, s := range stalls {
		if s.share >= 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f %%", s.name, 100*s.share))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "\nCPU contention (PSI: share of wall time some runnable task waited for a core; other tenants of this machine included): %s\n", strings.Join(parts, ", "))
	}
}

func mode(c *config) string {
	if c.quick {
		return "quick"
	}
	return "full"
}

func printInner(w io.Writer, in []inner) {
	if len(in) == 0 {
		return
	}
	fmt.Fprintf(w, "\nInner parts (testing.B over %d in-memory rows), per row:\n\n| part | ns/row | rows/s | B/row |\n|---|---|---|---|\n", innerRows)
	for _, x := range in {
		fmt.Fprintf(w, "| %s | %.0f | %s | %d |\n", x.name, x.nsRow, thousands(1e9/x.nsRow), x.bRow)
	}
}

// thousands formats x rounded, with thin separators: 212,345.
func thousands(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}
