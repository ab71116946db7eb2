package undo

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ciam-import/ciam-import/importer/state"
)

// JournalFile is the undo journal's name in the state directory.
const JournalFile = "undo.jsonl"

// Journal operations.
const (
	opBegin  = "begin"
	opSettle = "settle"
)

// Entry is one line of the undo journal. A begin carries the batch's Ids; a
// settle carries one Result per id of the batch it settles.
type Entry struct {
	Op      string   `json:"op"`
	Batch   int      `json:"batch"`
	IDs     []string `json:"ids,omitempty"`
	Results []Result `json:"results,omitempty"`
}

// Result is the outcome of one id of a settled batch.
type Result struct {
	UserID  string  `json:"user_id"`
	Outcome Outcome `json:"outcome"`
	Message string  `json:"message,omitempty"`
}

// journal appends entries to undo.jsonl, each one fsynced.
type journal struct {
	f *os.File
}

// openJournal opens path for appending (created 0600, never through a
// symlink) after cutting a torn last line at validEnd.
func openJournal(path string, validEnd int64) (*journal, error) {
	if err := truncateTail(path, validEnd); err != nil {
		return nil, err
	}
	f, err := state.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open undo journal: %w", err)
	}
	return &journal{f: f}, nil
}

// truncateTail drops bytes past validEnd (a line torn by a crash).
func truncateTail(path string, validEnd int64) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("open undo journal: %w", err)
	}
	if fi.Size() == validEnd {
		return nil
	}
	return state.TruncateFile(path, validEnd)
}

// append writes e and fsyncs it: on return, e survives a crash.
func (j *journal) append(e Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("write undo journal: %w", err)
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write undo journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sync undo journal: %w", err)
	}
	return nil
}

// Close closes the journal file.
func (j *journal) Close() error { return j.f.Close() }

// readJournal calls fn with each whole entry of the journal at path and
// returns the offset past the last one. A torn last line (no '\n', or not
// JSON) ends the read without error; a bad line before the last is an
// error naming its line. A missing journal reads as empty.
func readJournal(path string, fn func(Entry)) (int64, error) {
	f, err := state.OpenFile(path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("read undo journal: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var off int64
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if err == io.EOF {
			return off, nil
		} else if err != nil {
			return off, fmt.Errorf("read undo journal: %w", err)
		}
		var e Entry
		if jerr := json.Unmarshal(b, &e); jerr != nil || (e.Op != opBegin && e.Op != opSettle) {
			if _, perr := r.Peek(1); perr == io.EOF {
				return off, nil // torn last line
			}
			return off, fmt.Errorf("read %s: line %d: malformed entry", path, line)
		}
		fn(e)
		off += int64(len(b))
	}
}
