package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ciam-import/ciam-import/importer"
)

// fail prints err and the next step for its exit code, and returns code.
func fail(stderr io.Writer, code int, err error) int {
	fmt.Fprintf(stderr, "ciam-import: %v\n", err)
	if next := nextOnError(code); next != "" {
		fmt.Fprintf(stderr, "  next: %s\n", next)
	}
	return code
}

// failFlag prints a flag's usage error, which says itself what to do, on
// one line.
func failFlag(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "ciam-import: %v\n", err)
	return exitUsage
}

// nextOnError is what to do after a run that ended with an error.
func nextOnError(code int) string {
	switch code {
	case exitUsage:
		return "correct what the line above names and run the same command again (COMMAND --help lists the flags); nothing was sent"
	case exitFatal:
		return "fix the cause above (credentials, their CAM permissions, --user-store-id or --endpoint), then run the same command again"
	case exitLocked:
		return "let the other run finish (the line above names it), or stop it, then run again: the state directory takes one run at a time"
	case exitError:
		return "fix the cause above, then run the same command again: the state directory keeps the progress made so far"
	}
	return ""
}

// logSummary is the summary as one JSON log record, for --log-format json:
// the log stays JSON to its last line.
func logSummary(l *slog.Logger, s *importer.Summary, code int) {
	attrs := append([]any{"exit_code", code, "stopped", s.Stopped, "pass", s.Pass, "settled", s.Settled,
		"elapsed_seconds", s.Elapsed, "created_per_second", s.Requests, "state_dir", s.StateDir,
		"summary", filepath.Join(s.StateDir, "summary.json"), "next", s.Next}, countsAttrs(s.Counts)...)
	if s.Fatal != "" {
		attrs = append(attrs, "fatal", s.Fatal)
	}
	if s.Missing > 0 {
		attrs = append(attrs, "missing", s.Missing)
	}
	if s.LedgerChanged > 0 {
		attrs = append(attrs, "ledger_changed", s.LedgerChanged)
	}
	l.Info("summary", attrs...)
}

// progName is how the operator invoked this program, for the commands the
// messages suggest: "bin/ciam-import" as typed, "ciam-import" when it is
// the one on $PATH or a `go run` build.
func progName() string {
	arg0 := os.Args[0]
	switch {
	case arg0 == "" || strings.Contains(arg0, "go-build") || strings.HasSuffix(arg0, ".test"):
		return "ciam-import"
	case !strings.Contains(arg0, string(filepath.Separator)):
		return arg0
	}
	if p, err := exec.LookPath(filepath.Base(arg0)); err == nil && sameFile(p, arg0) {
		return filepath.Base(arg0)
	}
	return arg0
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
