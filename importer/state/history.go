package state

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// RunRecord is one line of runs.jsonl: what one run did.
type RunRecord struct {
	Started  time.Time      `json:"started"`
	Ended    time.Time      `json:"ended"`
	Command  string         `json:"command"`
	Counts   outcome.Counts `json:"counts"`
	ExitCode int            `json:"exit_code"`
	Outcome  string         `json:"outcome"`
}

// AppendRun appends r as one JSON line to the history at path (created
// 0600) and fsyncs it. A torn last line left by a crash during an earlier
// AppendRun is dropped first; a corrupt history is an error. Only the holder
// of the directory lock may call it.
func AppendRun(path string, r RunRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("append run: %w", err)
	}
	validEnd, err := scanJSONL(path, 0, func(RunRecord, int64) error { return nil })
	if err != nil {
		return fmt.Errorf("append run: %w", err)
	}
	f, err := OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("append run: %w", err)
	}
	if err := appendSynced(f, validEnd, append(line, '\n')); err != nil {
		_ = f.Close()
		return fmt.Errorf("append run %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("append run: %w", err)
	}
	return FsyncDir(filepath.Dir(path))
}

// appendSynced truncates f (opened O_APPEND) to size, appends data, fsyncs.
func appendSynced(f *os.File, size int64, data []byte) error {
	if err := f.Truncate(size); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// ReadRuns returns the run history at path, oldest first. A missing file
// is an empty history; a torn last line is ignored; a malformed line before
// the last is a *CorruptError.
func ReadRuns(path string) ([]RunRecord, error) {
	var runs []RunRecord
	_, err := scanJSONL(path, 0, func(r RunRecord, _ int64) error {
		runs = append(runs, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	return runs, nil
}
