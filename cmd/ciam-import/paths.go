package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/importer/timeline"
)

// Every file a command writes besides its state directory (--metrics-file,
// report --out, --ledger) is checked before anything is written: it must
// not be one of the state directory's own files, nor the same file as
// another output or an input. A metrics file pointed at created.csv would
// otherwise replace the report, and the next run would find it damaged.

// namedPath is a flag and the path it names.
type namedPath struct{ flag, path string }

// stateFileNames are the names of the files a state directory holds.
func stateFileNames() []string {
	return append([]string{state.SnapshotFile, state.JournalFile, state.LockFile, state.RunsFile, state.SummaryFile,
		state.RetryQueueFile, jobFile, "missing.csv", "report.html"}, outcome.Files()...)
}

// isStateFile reports whether name is, or may become, a file of a state
// directory: a known name, a journal generation, a timeline, a temp file.
func isStateFile(name string) bool {
	switch {
	case slices.Contains(stateFileNames(), name),
		strings.HasPrefix(name, "journal.") && strings.HasSuffix(name, ".jsonl"),
		strings.HasPrefix(name, timeline.FilePrefix) && strings.HasSuffix(name, timeline.FileSuffix),
		strings.HasPrefix(name, "."):
		return true
	}
	return false
}

// checkOutputs refuses an output that is a file of stateDir (allowed names
// aside: report --out may be DIR/report.html), or the same file as another
// output or an input. Empty paths are skipped.
func checkOutputs(stateDir string, outputs, inputs []namedPath, allowed ...string) error {
	dir := canonical(stateDir)
	seen := map[string]string{}
	for _, in := range inputs {
		if in.path != "" {
			seen[canonical(in.path)] = in.flag
		}
	}
	for _, out := range outputs {
		if out.path == "" {
			continue
		}
		p := canonical(out.path)
		if filepath.Dir(p) == dir && isStateFile(filepath.Base(p)) && !slices.Contains(allowed, filepath.Base(p)) {
			return fmt.Errorf("%s %s: is a file of the state directory; writing it would destroy the job's state: choose a path outside it (nothing was written)", out.flag, out.path)
		}
		if p == dir {
			return fmt.Errorf("%s %s: is the state directory itself (nothing was written)", out.flag, out.path)
		}
		if other, ok := seen[p]; ok {
			return fmt.Errorf("%s %s: is the same file as %s; give each its own path (nothing was written)", out.flag, out.path, other)
		}
		seen[p] = out.flag
	}
	return nil
}

// canonical is path absolute and clean, its directory's symlinks resolved
// when the directory exists (the file itself is never followed).
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// checkReportDir refuses a validate --report-dir that is a job's state
// directory: its rejected.csv and conflicts.csv would replace the job's.
func checkReportDir(dir string) error {
	for _, name := range []string{state.SnapshotFile, jobFile, state.JournalFile} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("--report-dir %s: is the state directory of a job (it holds %s); validate would replace its reports: choose another directory (nothing was written)", dir, name)
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("--report-dir %s: %w", dir, err)
		}
	}
	return nil
}

// checkPaths checks a run's outputs before anything is written.
func (j *jobFlags) checkPaths() error {
	outputs := []namedPath{{"--metrics-file", j.metricsFile}, {"--ledger", j.Ledger}}
	inputs := []namedPath{{"--input", j.Input}, {"--mapping", j.Mapping}, {"--db-password-file", j.PasswordFile}}
	if strings.Contains(j.Input, "://") {
		inputs[0].path = ""
	}
	return checkOutputs(j.stateDir, outputs, inputs)
}
