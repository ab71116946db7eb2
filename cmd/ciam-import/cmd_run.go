package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/groups"
	"github.com/ciam-import/ciam-import/importer/ledger"
	"github.com/ciam-import/ciam-import/importer/metrics"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/importer/undo"
	"github.com/ciam-import/ciam-import/mapping"
)

const runHelp = `Usage: ciam-import run --input FILE --mapping FILE --user-store-id ID --state-dir DIR [flags]
       ciam-import run --state-dir DIR [flags]     (continue a job; DIR remembers the rest)

Imports every row of FILE: each becomes a CIAM user or a line in a report of
DIR (created.csv, updated.csv, conflicts.csv, retryable.csv, rejected.csv,
skipped.csv). Rows with a password hash go through CIAM's import job and keep
their passwords; the others through CreateUser. Run it again with the same
--state-dir to continue after a stop or a crash.

Examples:
  export TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=...
  ciam-import run --input users.csv --mapping mapping.yaml \
      --user-store-id d733b65803284091a998ab707d820726 --state-dir ./state
  ciam-import run --state-dir ./state                     # continue where it stopped
  ciam-import run --state-dir ./state --max-duration 6h   # fit a cron window

Flags:
`

const retryHelp = `Usage: ciam-import retry --state-dir DIR [flags]

Sends again only the rows that the earlier passes left in DIR/retryable.csv,
reading them from the original input. The input, mapping and user store are
those DIR remembers.

Example:
  ciam-import retry --state-dir ./state

Flags:
`

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var jf jobFlags
	var label string
	fs := newFlagSet("run", runHelp, stderr, "input", "mapping", "user-store-id", "state-dir")
	jf.registerInput(fs)
	jf.registerService(fs, true)
	jf.registerRun(fs)
	fs.StringVar(&jf.Ledger, "ledger", "", "file of legacy keys imported by every run sharing it (bbolt); rows whose key is in it are skipped without a request")
	fs.StringVar(&jf.SourceName, "source-name", "", "this source's namespace in --ledger; sources sharing a ledger need different names (default: from the mapping's key field and legacy-id attribute; see docs/ledger.md)")
	fs.BoolVar(&jf.ReportMissing, "report-missing", false, "after reading the whole input, list in missing.csv the ledger's legacy users no row had (never deleted)")
	fs.BoolVar(&jf.restart, "restart", false, "discard the progress in --state-dir and start the input over")
	fs.StringVar(&label, "metrics-label", "", "the import label of every --metrics-file metric; keep it the same from run to run (default "+metrics.DefaultImport+")")
	fs.Int64Var(&jf.canary, "canary", 0, "send only the first N valid rows, read each created user back, print every field CIAM holds otherwise than sent, and stop; a later run continues after them")
	return runJob(ctx, &jf, &label, fs, args, stdout, stderr)
}

func cmdRetry(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	jf := jobFlags{retry: true}
	var label string
	fs := newFlagSet("retry", retryHelp, stderr, "state-dir")
	jf.registerService(fs, false)
	jf.registerRun(fs)
	fs.StringVar(&label, "metrics-label", "", "the import label of every --metrics-file metric (default "+metrics.DefaultImport+")")
	return runJob(ctx, &jf, &label, fs, args, stdout, stderr)
}

func runJob(ctx context.Context, jf *jobFlags, label *string, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if jf.retry && jf.stateDir == "" {
		return failFlag(stderr, errors.New("retry: missing --state-dir, the directory of the run whose retryable rows to send again (see --help)"))
	}
	if jf.stateDir != "" {
		if err := jf.fillFromState(setFlags(fs)); err != nil {
			return fail(stderr, exitError, err)
		}
	}
	if err := jf.check(); err != nil {
		return fail(stderr, exitUsage, fmt.Errorf("%s: %w (see --help)", fs.Name(), err))
	}
	if err := jf.checkPaths(); err != nil {
		return fail(stderr, exitUsage, err)
	}
	for _, err := range []error{checkWorkers(jf.workers, setFlags(fs)), checkEndpoint(jf.Endpoint), checkInputPath(jf.Input)} {
		if err != nil {
			return failFlag(stderr, err)
		}
	}
	logger := newLogger(jf.logFormat, stderr)
	spec, err := mapping.ParseFile(jf.Mapping, jf.mappingOptions()...)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	in, err := jf.checkInput(ctx, spec, warnTo(stderr), stderr) // before anything is written to the state directory
	if err == nil && !jf.retry {
		err = checkSample(in, spec)
	}
	if err != nil {
		return failOpen(stderr, err)
	}
	client, err := ciam.New(jf.clientConfig(warnTo(stderr)))
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	sigCtx, abort, stop := withSignals(ctx, stderr, jf.stopTimeout)
	defer stop()
	return execute(sigCtx, abort, jf, launch{command: commandLine(jf), metricsLabel: *label}, spec, in, client, logger, stdout, stderr)
}

// launch is what execute needs beyond the job's flags.
type launch struct {
	command      string // the command that continues the job, for the summary's next step
	metricsLabel string // --metrics-label
}

// jobAPI is what a job calls: the rows' actions and, for a mapping that
// names user groups, the group actions.
type jobAPI interface {
	importer.API
	groups.API
}

// execute runs the job with a ready client; demo shares it.
func execute(ctx context.Context, abort <-chan struct{}, jf *jobFlags, l launch, spec *mapping.Spec, in source.Input, api jobAPI,
	logger *slog.Logger, stdout, stderr io.Writer) int {
	bar := newProgress(jf.progress, stderr, logger)
	obs, err := newWatch(jf.metricsFile, l.metricsLabel, jf.stateDir)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	opt := importer.Options{
		Input: in, Spec: spec, StateDir: jf.stateDir, ExitCode: jobExitCode(jf), Job: jf.job,
		UserStoreID: jf.UserStoreID, API: api, Rate: jf.Rate, Workers: jf.workers,
		MaxRows: jf.maxRows, Canary: jf.canary, MaxDuration: jf.maxDuration, Restart: jf.restart, RetryPass: jf.retry, LedgerPath: jf.Ledger,
		InDoubtGrace: jf.grace(),
		SourceName:   jf.SourceName,
		OnConflict:   importer.ConflictPolicy(jf.OnConflict), ReportMissing: jf.ReportMissing,
		Abort: abort, Progress: bar.update, Logger: logger, Command: l.command,
		OnRetry: retryLogger(logger), Observer: obs,
		OnLocked: func() error { // under the lock: a run locked out must not rewrite the job of the one holding it
			if err := undo.CheckResume(jf.stateDir, jf.restart); err != nil { // an undo deleted its users: only a restart
				return err
			}
			if err := jf.save(); err != nil {
				return err
			}
			return obs.open(jf.stateDir)
		},
		PrepareSpec: func(ctx context.Context, spec *mapping.Spec) (*mapping.Spec, error) { // under the lock too: a run locked out lists and creates no group
			return resolveGroups(ctx, spec, in, api, jf.UserStoreID, logger)
		},
	}
	sum, err := importer.Run(ctx, opt)
	bar.finish()
	var code int
	if err != nil {
		code = runErrorCode(err)
	} else {
		code = opt.ExitCode(sum)
	}
	if cerr := obs.close(code); cerr != nil {
		logger.Warn("write timeline or metrics", "err", cerr)
	}
	if err != nil {
		return fail(stderr, code, err)
	}
	if strings.HasSuffix(l.command, " demo") {
		sum.Next = "" // the emulator goes with the demo: the demo says what is next
	}
	if jf.logFormat == "json" {
		logSummary(logger, sum, code)
	} else {
		printSummary(stderr, sum)
	}
	return code
}

// jobExitCode is exitCode, except that a retry that found nothing to retry
// succeeded: the rows of the earlier passes are not its doing.
func jobExitCode(jf *jobFlags) func(*importer.Summary) int {
	return func(sum *importer.Summary) int {
		if jf.retry && sum.Stopped == "" && sum.Settled == 0 && sum.Counts.Of(outcome.Retryable) == 0 {
			return exitOK
		}
		return exitCode(sum)
	}
}

func runErrorCode(err error) int {
	var mismatch *importer.MismatchError
	var otherStore *ledger.StoreMismatchError
	switch {
	case errors.Is(err, state.ErrLocked):
		return exitLocked
	case errors.As(err, &mismatch), errors.Is(err, importer.ErrPassUnfinished), errors.Is(err, undo.ErrUndone):
		return exitUsage
	case errors.As(err, &otherStore), errors.Is(err, ledger.ErrSourceName):
		return exitUsage
	}
	var ce *ciam.Error
	if errors.As(err, &ce) && ce.Class == ciam.Fatal {
		return exitFatal
	}
	var se *mapping.SpecError
	if errors.As(err, &se) {
		return exitUsage
	}
	return exitError
}

// commandLine is the command that continues this job, for the summary:
// only --state-dir, never a one-off flag (--canary, --restart).
func commandLine(jf *jobFlags) string {
	if jf.retry {
		return progName() + " retry --state-dir " + jf.stateDir
	}
	return progName() + " run --state-dir " + jf.stateDir
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}
