package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
)

const statusHelp = `Usage: ciam-import status --state-dir DIR [--json]

Shows what the runs of a state directory did so far: position, counts per
outcome, rows in each report, and the run history. Safe while a run is going.

Example:
  ciam-import status --state-dir ./state --json | jq .snapshot.counts

Flags:
`

func cmdStatus(_ context.Context, args []string, stdout, stderr io.Writer) int {
	var dir string
	var asJSON bool
	fs := newFlagSet("status", statusHelp, stderr, "state-dir")
	fs.StringVar(&dir, "state-dir", "", "the state directory of a run")
	fs.BoolVar(&asJSON, "json", false, "print as JSON")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if dir == "" {
		return fail(stderr, exitUsage, fmt.Errorf("status: missing --state-dir (see --help)"))
	}
	st, err := importer.ReadStatus(dir)
	if err != nil {
		return fail(stderr, exitError, err)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(st)
		return exitOK
	}
	printStatus(stdout, st)
	return exitOK
}

func printStatus(w io.Writer, st *importer.Status) {
	fmt.Fprintf(w, "state directory %s\n", st.StateDir)
	if s := st.Snapshot; s != nil {
		c := s.Counts
		done := "in progress"
		if s.Done {
			done = "finished"
		}
		fmt.Fprintf(w, "  input:     %s, pass %d %s, settled up to line %d\n", s.Fingerprint.Input, s.Pass, done, s.Line)
		fmt.Fprintf(w, "  counts:    read %d, %s\n", c.Read(), countsSum(c, ", "))
		fmt.Fprintf(w, "  in flight: %d rows to reconcile on resume; checkpoint %s\n", st.InFlight, s.UpdatedAt.Format(time.RFC3339))
	} else {
		fmt.Fprintln(w, "  no checkpoint yet")
	}
	fmt.Fprintln(w, "  reports (data rows):")
	for _, name := range report.Files {
		fmt.Fprintf(w, "    %-15s %d\n", name, st.Reports[name])
	}
	fmt.Fprintf(w, "  runs: %d\n", len(st.Runs))
	for _, r := range st.Runs {
		fmt.Fprintf(w, "    %s  %-8s exit %-3d %s  created %d\n", r.Started.Format(time.RFC3339),
			r.Ended.Sub(r.Started).Round(time.Second), r.ExitCode, r.Outcome, r.Counts.Of(outcome.Created))
	}
}
