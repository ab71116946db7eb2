package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

const usage = `ciam-import moves users from a legacy export (CSV or JSONL) into Tencent Cloud CIAM.

Usage:
  ciam-import run      --input FILE --mapping FILE --user-store-id ID --state-dir DIR [flags]
  ciam-import retry    --state-dir DIR [flags]       send again the rows left retryable
  ciam-import validate --input FILE --mapping FILE [--report-dir DIR]
  ciam-import status   --state-dir DIR [--json]
  ciam-import verify   --state-dir DIR [flags]       compare what CIAM holds with every row
  ciam-import report   --state-dir DIR [--out FILE]  an HTML page of the job: totals, rate, errors, runs
  ciam-import demo     run the sample import against an embedded CIAM emulator

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
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "ciam-import: unknown command %q\n\n%s", name, usage)
		return exitUsage
	}
	return cmd(ctx, rest, stdout, stderr)
}
