package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

const validateHelp = `Usage: ciam-import validate --input FILE --mapping FILE [--report-dir DIR] [--json]

Reads, maps and checks every row without calling the API. Rejected rows and
duplicates inside the input go to DIR/rejected.csv and DIR/conflicts.csv,
exactly as a run would report them. Prints the counts and how long a run at
--rate would take.

Example:
  ciam-import validate --input users.csv --mapping mapping.yaml --report-dir ./check

Flags:
`

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var jf jobFlags
	var reportDir string
	var asJSON bool
	fs := newFlagSet("validate", validateHelp, stderr, "input", "mapping")
	jf.registerInput(fs)
	fs.Float64Var(&jf.Rate, "rate", 20, "requests per second a run would send, for the estimate of its duration")
	fs.StringVar(&reportDir, "report-dir", "./ciam-import-validate", "directory for rejected.csv and conflicts.csv")
	fs.BoolVar(&asJSON, "json", false, "print the counts as JSON on stdout")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if jf.Input == "" || jf.Mapping == "" {
		return fail(stderr, exitUsage, fmt.Errorf("validate: missing --input or --mapping (see --help)"))
	}
	if _, err := jf.delimiter(); err != nil || math.IsNaN(jf.Rate) || jf.Rate < 0 {
		return fail(stderr, exitUsage, fmt.Errorf("validate: bad --delimiter or --rate (see --help)"))
	}
	if err := checkInputPath(jf.Input); err != nil {
		return failFlag(stderr, err)
	}
	spec, err := mapping.ParseFile(jf.Mapping, jf.mappingOptions()...)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	in, err := jf.checkInput(ctx, spec, warnTo(stderr), stderr)
	if err != nil {
		return failOpen(stderr, err)
	}
	if err := checkReportDir(reportDir); err != nil {
		return fail(stderr, exitUsage, err)
	}
	if _, err := state.OpenDir(reportDir); err != nil {
		return fail(stderr, exitError, err)
	}
	sum, err := importer.Validate(ctx, importer.ValidateOptions{Input: in, Spec: spec, ReportDir: reportDir, Rate: jf.Rate})
	if err != nil {
		return fail(stderr, runErrorCode(err), err)
	}
	tidyValidateDir(reportDir)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(sum)
	} else {
		printValidate(stdout, sum, jf.Rate)
		fmt.Fprintf(stdout, "  next: %s\n", validateNext(sum, &jf))
	}
	if sum.Rejected+sum.Duplicates > 0 {
		return exitPartial
	}
	return exitOK
}

func printValidate(w io.Writer, s *importer.ValidateSummary, rate float64) {
	fmt.Fprintf(w, "checked %d rows in %s (%.0f rows/s)\n", s.Rows, s.Elapsed.Round(time.Millisecond),
		float64(s.Rows)/max(s.Elapsed.Seconds(), 1e-9))
	fmt.Fprintf(w, "  valid:      %d (a run sends these)\n", s.Valid)
	fmt.Fprintf(w, "  rejected:   %d  -> %s/rejected.csv\n", s.Rejected, s.ReportDir)
	fmt.Fprintf(w, "  duplicates: %d  -> %s/conflicts.csv\n", s.Duplicates, s.ReportDir)
	if rate > 0 {
		fmt.Fprintf(w, "  a run at %.0f requests/s takes about %s\n", rate, s.Expected.Round(time.Second))
	}
}

// tidyValidateDir removes the lock file validate held from its report
// directory. (The empty reports of outcomes validate never has stay: the
// tests' report readers expect every report file.)
func tidyValidateDir(dir string) {
	_ = os.Remove(filepath.Join(dir, state.LockFile))
}

// validateNext is what to do after a validate: fix what it found, or run.
func validateNext(s *importer.ValidateSummary, jf *jobFlags) string {
	run := fmt.Sprintf("%s run --input %s --mapping %s --user-store-id YOUR_USER_STORE_ID --state-dir STATE_DIR", progName(), jf.Input, jf.Mapping)
	if s.Rejected+s.Duplicates > 0 {
		return fmt.Sprintf("read %s and %s: fix the mapping (and validate again) or accept that those rows will be reported, then: %s",
			filepath.Join(s.ReportDir, report.RejectedFile), filepath.Join(s.ReportDir, report.ConflictsFile), run)
	}
	return "every row maps: " + run
}
