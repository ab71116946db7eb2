package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

const usage = `ciam-import moves users from a legacy user database (CSV or JSONL export,
PostgreSQL, MariaDB/MySQL) into Tencent Cloud CIAM.

Usage:
  ciam-import run      --input FILE --mapping FILE --user-store-id ID --state-dir DIR [flags]
  ciam-import retry    --state-dir DIR [flags]       send again the rows left retryable
  ciam-import validate --input FILE --mapping FILE [--report-dir DIR]
  ciam-import status   --state-dir DIR [--json]
  ciam-import verify   --state-dir DIR [flags]       compare what CIAM holds with every row
  ciam-import report   --state-dir DIR [--out FILE]  an HTML page of the job: totals, rate, errors, runs
  ciam-import demo     run the sample import against an embedded CIAM emulator
  ciam-import undo     --state-dir DIR --yes       delete the users DIR created (a rehearsal on a staging store)
  ciam-import --version

Start with: ciam-import demo (nothing leaves this machine), then README.md,
"Your first real migration".

Run "ciam-import COMMAND --help" for the flags and examples of a command.
Credentials come from TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (and
TENCENTCLOUD_SESSION_TOKEN for temporary keys), the SDK's credentials file
(~/.tencentcloud/credentials), a TCCLI --profile, the CVM instance role
(--cvm-role) or an assumed --role-arn; never a secret on the command line.
`

// softMemoryLimit keeps the garbage collector's headroom from pushing a
// long run past ~100 MiB (make bench, figure 6); GOMEMLIMIT overrides it.
const softMemoryLimit = 100 << 20

// run is the whole program; main only exits with its result.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) int{
		"run":      cmdRun,
		"retry":    cmdRetry,
		"validate": cmdValidate,
		"verify":   cmdVerify,
		"status":   cmdStatus,
		"report":   cmdReport,
		"demo":     cmdDemo,
		"undo":     cmdUndo,
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "--version", "-version", "version":
		fmt.Fprintln(stdout, "ciam-import "+version())
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "ciam-import: unknown command %q%s (run ciam-import --help for the commands)\n", name, didYouMean(name, cmds))
		return exitUsage
	}
	return cmd(ctx, rest, stdout, stderr)
}

// didYouMean is ": did you mean X?" for the command nearest to name, if any.
func didYouMean(name string, cmds map[string]func(context.Context, []string, io.Writer, io.Writer) int) string {
	best, bestD := "", 3
	for c := range cmds {
		if d := editDistance(strings.TrimLeft(name, "-"), c); d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return ": did you mean " + best + "?"
}

// buildVersion is set by `make build` (-ldflags -X main.buildVersion=...)
// to `git describe`; empty in a plain go build.
var buildVersion string

// version is the version the binary was built as: buildVersion, else the
// module version and VCS revision Go recorded.
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			if s.Value == "true" {
				v += "+dirty"
			}
		}
	}
	return v + " " + bi.GoVersion
}
