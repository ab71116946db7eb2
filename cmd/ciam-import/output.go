package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/importer"
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
	fmt.Fprintf(w, "  totals over the input: read %d = created %d + conflict %d + rejected %d + retryable %d + skipped %d\n",
		c.Read, c.Created, c.Conflict, c.Rejected, c.Retryable, c.Skipped)
	if s.Fatal != "" {
		fmt.Fprintf(w, "  stopped by: %s\n", s.Fatal)
	}
	fmt.Fprintf(w, "  reports:  %s\n", filepath.Join(s.StateDir, "{created,conflicts,retryable,rejected,skipped}.csv"))
	fmt.Fprintf(w, "  summary:  %s\n", filepath.Join(s.StateDir, "summary.json"))
	if s.Next != "" {
		fmt.Fprintf(w, "  next:     %s\n", s.Next)
	}
}
