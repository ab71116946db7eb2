package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/importer/verify"
	"github.com/ciam-import/ciam-import/mapping"
)

const verifyHelp = `Usage: ciam-import verify --state-dir DIR [flags]
       ciam-import verify --input FILE --mapping FILE --user-store-id ID [--report-dir DIR] [flags]

Reads what CIAM holds for every row of the source and writes DIR/verify.csv
(line, key, verdict, fields, user_id): same, different (the fields that
differ; never a password, hash or salt), missing, invalid (the row does not
map), and extra: users of this source that no row has (needs the legacy id
in an indexed attribute of the mapping). The store is read through one
export job (a handful of requests for a million users); when the export is
refused, or with --no-export, every row is looked up at --rate instead.
Killed, it continues with the export it already has. Exit 0: every row the
same; 3: differences (read verify.csv).

Examples:
  ciam-import verify --state-dir ./state
  ciam-import verify --input users.csv --mapping mapping.yaml \
      --user-store-id d733b65803284091a998ab707d820726 --report-dir ./verify

Flags:
`

// verifyFlags are verify's own flags besides the job's.
type verifyFlags struct {
	reportDir string
	noExport  bool
	asJSON    bool
}

func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var jf jobFlags
	var vf verifyFlags
	fs := newFlagSet("verify", verifyHelp, stderr)
	jf.registerInput(fs)
	jf.registerService(fs, true)
	fs.StringVar(&jf.stateDir, "state-dir", "", "the state directory of a run: its input, mapping and store, and where verify.csv goes")
	fs.StringVar(&vf.reportDir, "report-dir", "./ciam-import-verify", "where verify.csv goes without --state-dir")
	fs.Float64Var(&jf.Rate, "rate", 20, "requests per second of each action; 0 = unlimited")
	fs.BoolVar(&vf.noExport, "no-export", false, "look every row up (DescribeUser at --rate) instead of exporting the store")
	fs.DurationVar(&jf.job.Poll, "job-poll", 10*time.Second, "the longest wait between two ListJobs about the export job (they start 200ms apart and double)")
	fs.DurationVar(&jf.job.JobTimeout, "job-timeout", 30*time.Minute, "how long to wait for the export before looking rows up instead")
	fs.BoolVar(&vf.asJSON, "json", false, "print the counts as JSON on stdout")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	dir, err := jf.verifyDir(setFlags(fs), vf.reportDir)
	if err != nil {
		return fail(stderr, exitUsage, fmt.Errorf("verify: %w (see --help)", err))
	}
	spec, err := mapping.ParseFile(jf.Mapping, jf.mappingOptions()...)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	in, err := jf.checkInput(ctx, spec, warnTo(stderr), stderr)
	if err != nil {
		return failOpen(stderr, err)
	}
	client, err := ciam.New(jf.clientConfig(warnTo(stderr)))
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	if _, err := state.OpenDir(dir); err != nil {
		return fail(stderr, exitError, err)
	}
	sigCtx, _, stop := withSignals(ctx, stderr, defaultStopTimeout)
	defer stop()
	sum, err := verify.Run(sigCtx, verify.Options{Input: in, Spec: spec, UserStoreID: jf.UserStoreID, API: client, Dir: dir,
		Rate: jf.Rate, NoExport: vf.noExport, Poll: jf.job.Poll, JobTimeout: jf.job.JobTimeout,
		Warn: warnTo(stderr), Command: "ciam-import verify"})
	if err != nil {
		return fail(stderr, verifyErrorCode(sigCtx, err), fmt.Errorf("verify: %w (run it again to continue)", err))
	}
	printVerify(stdout, sum, vf.asJSON)
	if sum.Differences() > 0 {
		return exitPartial
	}
	return exitOK
}

// verifyDir fills the flags a state directory remembers and checks the
// rest; it returns the directory verify writes to.
func (j *jobFlags) verifyDir(set map[string]bool, reportDir string) (string, error) {
	dir := reportDir
	if j.stateDir != "" {
		if set["report-dir"] {
			return "", errors.New("--report-dir goes without --state-dir (verify.csv goes into the state directory)")
		}
		if err := j.fillFromState(set); err != nil {
			return "", err
		}
		dir = j.stateDir
	}
	switch {
	case j.Input == "" || j.Mapping == "" || j.UserStoreID == "":
		return "", errors.New("give --state-dir of a run, or --input, --mapping and --user-store-id")
	case j.Rate < 0 || j.Rate > maxRate || (j.Rate > 0 && j.Rate < minRate):
		return "", fmt.Errorf("--rate must be 0 (unlimited) or from %g to %g requests per second", minRate, maxRate)
	case j.job.Poll <= 0 || j.job.JobTimeout <= 0:
		return "", errors.New("--job-poll and --job-timeout must be positive")
	}
	if _, err := j.delimiter(); err != nil {
		return "", err
	}
	return dir, nil
}

func verifyErrorCode(ctx context.Context, err error) int {
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return runErrorCode(err)
}

func printVerify(w io.Writer, s *verify.Summary, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(s)
		return
	}
	how := "through the export job"
	if s.Via == verify.ViaLookups {
		how = "by lookups"
	}
	fmt.Fprintf(w, "verified %d rows %s in %s with %d requests\n", s.Rows, how, s.Elapsed.Round(time.Millisecond), s.Requests)
	fmt.Fprintf(w, "  same:      %d\n  different: %d\n  missing:   %d\n", s.Same, s.Different, s.Missing)
	if s.ExtrasSkipped == "" {
		fmt.Fprintf(w, "  extra:     %d (users of this source that no row has)\n", s.Extra)
	} else {
		fmt.Fprintf(w, "  extra:     not looked for: %s\n", s.ExtrasSkipped)
	}
	fmt.Fprintf(w, "  invalid:   %d (rows that do not map; a run rejects them)\n", s.Invalid)
	fmt.Fprintf(w, "  report:    %s\n", s.Report)
	if s.Differences() > 0 {
		fmt.Fprintln(w, "  next: read the report; `ciam-import run` sends missing rows, --on-conflict update the different ones")
	}
}
