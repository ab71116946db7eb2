package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Names of the files in a state directory (format version 1). The report
// files are named by package report.
const (
	SnapshotFile = "snapshot.json"
	JournalFile  = "journal.jsonl"
	LockFile     = "lock"
	RunsFile     = "runs.jsonl"
	SummaryFile  = "summary.json"
	// RetryQueueFile is the retryable report of the pass before the current
	// retry pass: the rows that pass retries (see report.Writer.Rotate).
	RetryQueueFile = "retry-queue.csv"
	// SeenDir holds the duplicate table: the identifiers the settled rows
	// hold (package importer/dedup).
	SeenDir = "seen"
)

// Dir is a state directory; its methods name the files in it.
type Dir struct{ Path string }

// OpenDir creates the state directory path (mode 0700, with its parents)
// if needed, refuses it if it is unsafe (CheckDir: owned by another user,
// writable by group or others, or a symlink of another user anywhere on
// its path), and removes the *.tmp files a crash left in it. It only removes
// them while it can take the directory lock for a moment: if a live run
// holds the lock, those files are that run's and are left alone (the
// caller's own Lock will then fail with ErrLocked).
func OpenDir(path string) (Dir, error) {
	if err := CheckPath(path); err != nil { // before creating anything through a link of another user
		return Dir{}, fmt.Errorf("open state dir: %w", err)
	}
	if err := mkdirDurable(path); err != nil {
		return Dir{}, fmt.Errorf("open state dir: %w", err)
	}
	if err := CheckDir(path); err != nil {
		return Dir{}, fmt.Errorf("open state dir: %w", err)
	}
	f, err := acquire(filepath.Join(path, LockFile))
	if errors.Is(err, ErrLocked) {
		return Dir{Path: path}, nil
	} else if err != nil {
		return Dir{}, fmt.Errorf("open state dir: %w", err)
	}
	defer f.Close() // releases the flock
	if err := RemoveTmpFiles(path); err != nil {
		return Dir{}, fmt.Errorf("open state dir: %w", err)
	}
	return Dir{Path: path}, nil
}

// mkdirDurable creates dir with mode 0700 unless it exists, and fsyncs its
// parent so the new entry survives a crash.
func mkdirDurable(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	} else if err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return FsyncDir(filepath.Dir(filepath.Clean(dir)))
}

// Snapshot returns the path of snapshot.json.
func (d Dir) Snapshot() string { return filepath.Join(d.Path, SnapshotFile) }

// Journal returns the path of journal.jsonl.
func (d Dir) Journal() string { return filepath.Join(d.Path, JournalFile) }

// JournalGen returns the path of journal generation gen: journal.jsonl for
// 0, journal.N.jsonl after N rotations. A checkpoint may start a new
// generation once the journal is large; the old one is deleted after the
// snapshot naming the new one is durable.
func (d Dir) JournalGen(gen int) string {
	if gen == 0 {
		return d.Journal()
	}
	return filepath.Join(d.Path, fmt.Sprintf("journal.%d.jsonl", gen))
}

// JournalGens lists the journal generations present, in order.
func (d Dir) JournalGens() ([]int, error) {
	names, err := filepath.Glob(filepath.Join(d.Path, "journal*.jsonl"))
	if err != nil {
		return nil, err
	}
	var gens []int
	for _, n := range names {
		base := filepath.Base(n)
		if base == JournalFile {
			gens = append(gens, 0)
			continue
		}
		var g int
		if _, err := fmt.Sscanf(base, "journal.%d.jsonl", &g); err == nil && g > 0 && d.JournalGen(g) == n {
			gens = append(gens, g)
		}
	}
	sort.Ints(gens)
	return gens, nil
}

// Lock returns the path of the lock file.
func (d Dir) Lock() string { return filepath.Join(d.Path, LockFile) }

// Runs returns the path of runs.jsonl, the run history.
func (d Dir) Runs() string { return filepath.Join(d.Path, RunsFile) }

// Summary returns the path of summary.json.
func (d Dir) Summary() string { return filepath.Join(d.Path, SummaryFile) }

// RetryQueue returns the path of retry-queue.csv, the current retry pass's
// queue.
func (d Dir) RetryQueue() string { return filepath.Join(d.Path, RetryQueueFile) }

// Seen returns the path of the duplicate table's directory.
func (d Dir) Seen() string { return filepath.Join(d.Path, SeenDir) }

// Report returns the path of the report file name (e.g. "created.csv").
func (d Dir) Report(name string) string { return filepath.Join(d.Path, name) }
