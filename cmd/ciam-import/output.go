package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// printSummary tells the operator what happened to every row and what to do
// next. It goes to stderr; reports never share that stream.
func printSummary(w io.Writer, s *importer.Summary) {
	c := s.Counts
	state := "finished"
	if s.Stopped != "" {
		state = "stopped (" + s.Stopped + ")"
	}
	pass := "main pass"
	if s.Pass > 0 {
		pass = fmt.Sprintf("retry pass %d", s.Pass)
	}
	fmt.Fprintf(w, "\nciam-import %s, %s: %d rows settled in %s (%.1f created/s)\n",
		state, pass, s.Settled, time.Duration(s.Elapsed*float64(time.Second)).Round(time.Second), s.Requests)
	fmt.Fprintf(w, "  totals over the input: read %d = %s\n", c.Read(), countsSum(c, " + "))
	if s.Stopped == importer.StopCanary {
		printCanary(w, s)
	}
	if s.Fatal != "" {
		fmt.Fprintf(w, "  stopped by: %s\n", s.Fatal)
	}
	fmt.Fprintf(w, "  reports:  %s\n", filepath.Join(s.StateDir, "{"+strings.Join(reportNames(), ",")+"}.csv"))
	if s.Missing > 0 {
		fmt.Fprintf(w, "  missing:  %d legacy users of the ledger are not in this input: %s\n", s.Missing, filepath.Join(s.StateDir, "missing.csv"))
	}
	if s.LedgerChanged > 0 {
		fmt.Fprintf(w, "  changed:  %d skipped rows changed since the ledger recorded them and were not sent (--on-conflict update sends them)\n", s.LedgerChanged)
	}
	fmt.Fprintf(w, "  summary:  %s\n", filepath.Join(s.StateDir, "summary.json"))
	if s.Next != "" {
		fmt.Fprintf(w, "  next:     %s\n", s.Next)
	}
}

// countsSum lists every outcome's count, in report order: "created 3 + ...".
func countsSum(c outcome.Counts, sep string) string {
	parts := make([]string, len(outcome.All))
	for i, o := range outcome.All {
		parts[i] = fmt.Sprintf("%s %d", o.Name, c.Of(o))
	}
	return strings.Join(parts, sep)
}

// countsAttrs are the counts as slog key-value pairs.
func countsAttrs(c outcome.Counts) []any {
	attrs := []any{"read", c.Read()}
	for _, o := range outcome.All {
		attrs = append(attrs, o.Name, c.Of(o))
	}
	return attrs
}

// reportNames are the report files without their .csv.
func reportNames() []string {
	names := outcome.Files()
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, ".csv")
	}
	return names
}

// warnTo prints a warning for the operator on stderr.
func warnTo(stderr io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(stderr, "ciam-import: warning: %s\n", msg) }
}
