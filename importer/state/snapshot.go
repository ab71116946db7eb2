package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// SnapshotVersion is the snapshot format this package reads and writes.
const SnapshotVersion = 1

// Snapshot is the checkpoint in snapshot.json. It only ever refers to bytes
// that were durable when it was written: the journal up to JournalSize and
// the reports up to Reports.
type Snapshot struct {
	Version      int              `json:"version"` // always SnapshotVersion when written
	Fingerprint  Fingerprint      `json:"fingerprint"`
	Pass         int              `json:"pass"`                  // 0 main, N = Nth retry pass
	Offset       int64            `json:"offset"`                // every row starting before Offset is settled (for this pass)
	Line         int64            `json:"line"`                  // line number of the row at Offset
	SettledAbove []Position       `json:"settled_above"`         // rows at/after Offset already settled (out-of-order completions)
	InFlight     []Position       `json:"in_flight"`             // rows begun (journaled) and not settled when the snapshot was taken
	JournalSize  int64            `json:"journal_size"`          // journal bytes already reflected in this snapshot
	JournalGen   int              `json:"journal_gen,omitempty"` // the journal generation JournalSize counts in (Dir.JournalGen)
	Reports      map[string]int64 `json:"reports"`               // report file name -> size in bytes at snapshot time
	Counts       Counts           `json:"counts"`
	Done         bool             `json:"done"` // the pass read and settled everything
	UpdatedAt    time.Time        `json:"updated_at"`
}

// Position locates one row of the input.
type Position struct {
	Line   int64 `json:"line"`
	Offset int64 `json:"offset"` // byte offset where the row starts
	End    int64 `json:"end"`    // byte offset just past the row
}

// Counts are per-outcome row counters.
type Counts struct {
	Read      int64 `json:"read"`
	Created   int64 `json:"created"`
	Conflict  int64 `json:"conflict"`
	Rejected  int64 `json:"rejected"`
	Retryable int64 `json:"retryable"`
	Skipped   int64 `json:"skipped"`
}

// ReadSnapshot reads the snapshot at path. A missing file returns
// ErrNoSnapshot (a fresh start). A file that is not a well-formed version-1
// snapshot, including an empty one, returns a *CorruptError (errors.Is
// ErrCorrupt; an unknown version also errors.Is ErrUnsupportedVersion). It
// never returns nil, nil.
func ReadSnapshot(path string) (*Snapshot, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoSnapshot
	} else if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	s, err := decodeSnapshot(data)
	if err != nil {
		off := jsonErrorOffset(err)
		return nil, &CorruptError{Path: path, Offset: off, Line: lineAt(data, off), Err: err}
	}
	return s, nil
}

// decodeSnapshot checks the version before decoding strictly, so that a
// newer format is reported as such rather than as unknown fields.
func decodeSnapshot(data []byte) (*Snapshot, error) {
	var v struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if v.Version == nil {
		return nil, errors.New("snapshot has no version")
	}
	if *v.Version != SnapshotVersion {
		return nil, fmt.Errorf("%w: snapshot version %d, this program reads %d", ErrUnsupportedVersion, *v.Version, SnapshotVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	return &s, s.validate()
}

func (s *Snapshot) validate() error {
	if s.Pass < 0 || s.Offset < 0 || s.Line < 0 || s.JournalSize < 0 || s.JournalGen < 0 {
		return errors.New("snapshot has a negative pass, offset, line or journal size")
	}
	for name, size := range s.Reports {
		if size < 0 {
			return fmt.Errorf("snapshot has a negative size for report %q", name)
		}
	}
	return nil
}

// WriteSnapshot atomically replaces the snapshot at path with s (mode 0600),
// stamping Version = SnapshotVersion. The caller must have synced the
// journal and reports the snapshot refers to before calling it.
func WriteSnapshot(path string, s *Snapshot) error {
	c := *s
	c.Version = SnapshotVersion
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return WriteFileAtomic(path, append(data, '\n'), 0o600)
}

// jsonErrorOffset returns the input offset a JSON error points at, or 0.
func jsonErrorOffset(err error) int64 {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return syn.Offset
	case errors.As(err, &typ):
		return typ.Offset
	}
	return 0
}

// lineAt returns the 1-based line of data that byte off falls on.
func lineAt(data []byte, off int64) int64 {
	off = min(max(off, 0), int64(len(data)))
	return int64(bytes.Count(data[:off], []byte("\n"))) + 1
}
