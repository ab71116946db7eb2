package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/mapping"
)

const demoHelp = `Usage: ciam-import demo [flags]

Starts an embedded CIAM emulator on 127.0.0.1 (same signatures, quota and
error codes as the service, with some injected latency, errors and lost
responses), imports the sample export into it with live progress, and shows
the reports. Nothing leaves this machine.

Without --input it imports the sample export built into the binary
(samples/users.csv), so it runs from any directory. The state directory is
emptied first, and only if an earlier demo made it.

Example:
  ciam-import demo
  ciam-import demo --input samples/users.jsonl --mapping samples/mapping-jsonl.yaml

Flags:
`

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	jf := jobFlags{}
	var faults bool
	fs := newFlagSet("demo", demoHelp, stderr)
	fs.StringVar(&jf.Input, "input", "", "the export to import (default: the built-in samples/users.csv)")
	fs.StringVar(&jf.Mapping, "mapping", "", "its mapping (default: the built-in samples/mapping-csv.yaml)")
	fs.StringVar(&jf.stateDir, "state-dir", "demo-state", "state directory, emptied first (only one an earlier demo made)")
	fs.Float64Var(&jf.Rate, "rate", 20, "requests per second (the emulator's quota is 20)")
	fs.BoolVar(&faults, "faults", true, "inject latency, internal errors, throttling and lost responses")
	fs.StringVar(&jf.progress, "progress", "auto", `"auto", "always" or "never"`)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if (jf.Input == "") != (jf.Mapping == "") {
		return failFlag(stderr, errors.New("demo: give --input and --mapping together, or neither for the built-in sample"))
	}
	if err := freshDemoDir(jf.stateDir); err != nil {
		return failFlag(stderr, err)
	}
	if jf.Input == "" {
		var err error
		if jf.Input, jf.Mapping, err = demoSample(jf.stateDir); err != nil {
			return fail(stderr, exitError, err)
		}
	} else if err := checkInputPath(jf.Input); err != nil {
		return failFlag(stderr, err)
	}
	spec, err := mapping.ParseFile(jf.Mapping)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	em, err := emulator.Start(demoEmulatorConfig(faults))
	if err != nil {
		return fail(stderr, exitError, err)
	}
	defer em.Close()
	client, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		return fail(stderr, exitError, err)
	}
	jf.UserStoreID, jf.Endpoint, jf.Region, jf.workers, jf.restart = emulator.DemoUserStore, em.URL, "ap-guangzhou", 0, true
	fmt.Fprintf(stderr, "demo: CIAM emulator at %s, user store %s, quota %.0f requests/s per action\n", em.URL, jf.UserStoreID, jf.Rate)
	if faults {
		fmt.Fprintln(stderr, "demo: injecting latency (median 80ms), 3% internal errors or throttling, 2% lost responses")
	}
	fmt.Fprintf(stderr, "demo: importing %s with %s\n\n", jf.Input, jf.Mapping)
	sigCtx, abort, stop := withSignals(ctx, stderr, defaultStopTimeout)
	defer stop()
	in, err := jf.checkInput(ctx, spec, warnTo(stderr), stderr)
	if err != nil {
		return failOpen(stderr, err)
	}
	code := execute(sigCtx, abort, &jf, launch{command: progName() + " demo"}, spec, in, client, newLogger("text", stderr), stdout, stderr)
	consistent := showDemoResults(stdout, jf.stateDir, em.Server)
	return demoExit(stdout, code, consistent, jf.stateDir)
}

// demoExit explains the import's own exit code and turns it into the demo's:
// the sample has bad rows and duplicates on purpose, so an import that ends
// with them in the reports (exit 3) or with rows left retryable by the
// injected faults (exit 4) is the demo working. Anything else, or an
// emulator that does not hold exactly the users created.csv lists, fails.
func demoExit(w io.Writer, code int, consistent bool, demoDir string) int {
	explain := map[int]string{
		exitOK:        "every row was created",
		exitPartial:   "conflicts and rejected rows are in their reports, as this sample is meant to show",
		exitRetryable: "some rows are left retryable by the injected faults; against a real service, `ciam-import retry` would send them again",
	}
	why, expected := explain[code]
	switch {
	case code == exitInterrupted:
		fmt.Fprintf(w, "\nThe demo was interrupted, and its emulator is gone with it: the demo-state directory cannot be continued.\n"+
			"  next: %s demo   (starts again from the beginning)\n", progName())
		return code
	case !expected:
		fmt.Fprintf(w, "\nThe import exited %d: the demo did not complete.\n  next: read the error above; %s demo starts again\n", code, progName())
		return code
	case !consistent:
		fmt.Fprintf(w, "\nThe import exited %d but the emulator and created.csv disagree: that is a bug.\n", code)
		return exitError
	}
	fmt.Fprintf(w, "\nThe import exited %d (%s); in a cron job that code tells the wrapper what to do (README: Exit codes).\n"+
		"The demo itself succeeded.\n", code, why)
	printDemoNext(w, demoDir)
	return exitOK
}

func demoEmulatorConfig(faults bool) emulator.Config {
	cfg := emulator.DemoConfig()
	cfg.Seed = time.Now().UnixNano()
	if faults {
		cfg.Faults.CreateUser = emulator.FaultSpec{
			LatencyMedian: 80 * time.Millisecond, LatencyP99: 600 * time.Millisecond,
			ErrorRate: 0.03, ErrorCodes: []string{"InternalError", "RequestLimitExceeded.FrequentRequest"},
			LoseResponseRate: 0.02,
		}
		cfg.Faults.Lookups = emulator.FaultSpec{LatencyMedian: 20 * time.Millisecond, LatencyP99: 100 * time.Millisecond}
	}
	return cfg
}

// showDemoResults prints what the emulator holds next to the reports, and the
// first rows of each report, and says whether the two agree.
func showDemoResults(w io.Writer, dir string, em *emulator.Server) bool {
	users := em.Users(emulator.DemoUserStore)
	created := countRows(filepath.Join(dir, report.CreatedFile))
	fmt.Fprintf(w, "\nThe emulator now holds %d users; %s lists %d created rows.\n", len(users),
		filepath.Join(dir, report.CreatedFile), created)
	for _, name := range report.Files {
		path := filepath.Join(dir, name)
		fmt.Fprintf(w, "\n== %s (%d rows) ==\n", path, countRows(path))
		head(w, path, 4)
	}
	return int64(len(users)) == created
}

func countRows(path string) int64 {
	n, _ := report.Count(path)
	return n
}

func head(w io.Writer, path string, n int) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 0; i < n && sc.Scan(); i++ {
		fmt.Fprintln(w, "  "+sc.Text())
	}
}

// printDemoNext names the commands to try on the demo's directory; they
// read only its files, so they work once the emulator is gone.
func printDemoNext(w io.Writer, dir string) {
	p := progName()
	fmt.Fprintf(w, "\nNext:\n  %s status --state-dir %s      # the job's counts and runs\n", p, dir)
	fmt.Fprintf(w, "  %s report --state-dir %s      # an HTML page: %s\n", p, dir, filepath.Join(dir, "report.html"))
	fmt.Fprintf(w, "  then README.md, \"Your first real migration\"\n")
}
