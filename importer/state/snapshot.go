package state

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// SnapshotVersion is the snapshot format this package reads and writes.
// Version 2 names rows by their source identity and resumes from a source
// cursor, and carries a checksum.
const SnapshotVersion = 2

// Snapshot is the checkpoint in snapshot.json. It only ever refers to bytes
// that were durable when it was written: the journal up to JournalSize and
// the reports up to Reports.
type Snapshot struct {
	Version     int              `json:"version"` // always SnapshotVersion when written
	Fingerprint Fingerprint      `json:"fingerprint"`
	Pass        int              `json:"pass"`                  // 0 main, N = Nth retry pass
	Cursor      string           `json:"cursor"`                // source cursor past every row settled in order; "" = the start
	Line        int64            `json:"line"`                  // line of the last row settled in order (for people)
	Pos         int64            `json:"pos"`                   // progress at Cursor, in the source's unit
	InFlight    []Position       `json:"in_flight"`             // rows begun (journaled) and not settled when the snapshot was taken
	JournalSize int64            `json:"journal_size"`          // journal bytes already reflected in this snapshot
	JournalGen  int              `json:"journal_gen,omitempty"` // the journal generation JournalSize counts in (Dir.JournalGen)
	Reports     map[string]int64 `json:"reports"`               // report file name -> size in bytes at snapshot time
	Counts      outcome.Counts   `json:"counts"`
	Done        bool             `json:"done"` // the pass read and settled everything
	UpdatedAt   time.Time        `json:"updated_at"`
	// Checksum is the hex SHA-256 of the snapshot encoded with Checksum
	// empty: a flipped bit anywhere is a damaged state, never a silent skip.
	Checksum string `json:"checksum"`
}

// Position names one row of the input that was begun: where it was (Line,
// ID) and what it was (Key, Digest). A resume reconciles a row in flight
// only with a row of the same Key; ID alone is no identity, since an input
// re-exported between runs puts other rows at the same offsets.
type Position struct {
	Line   int64  `json:"line"`
	ID     string `json:"id"`               // source.Record.ID
	Sink   string `json:"sink,omitempty"`   // the sink it was begun in
	Key    string `json:"key,omitempty"`    // legacy id sent ("" in snapshots of older versions)
	Digest string `json:"digest,omitempty"` // mapping.User.Digest of the row sent
}

// Slot names a begun row by its source id and its legacy key: the same ID
// may hold two begun rows (another row moved to the offset of one in
// flight), never the same slot.
func Slot(id, key string) string { return id + "\x00" + key }

// Slot is Slot(p.ID, p.Key).
func (p Position) Slot() string { return Slot(p.ID, p.Key) }

// ReadSnapshot reads the snapshot at path. A missing file returns
// ErrNoSnapshot (a fresh start). A file that is not a well-formed version-1
// snapshot, including an empty one, returns a *CorruptError (errors.Is
// ErrCorrupt; an unknown version also errors.Is ErrUnsupportedVersion). It
// never returns nil, nil.
func ReadSnapshot(path string) (*Snapshot, error) {
	data, err := ReadFile(path)
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
	if sum, err := s.checksum(); err != nil || sum != s.Checksum {
		return nil, errors.New("snapshot checksum does not match its content: the file was changed or damaged")
	}
	return &s, s.validate()
}

func (s *Snapshot) validate() error {
	if s.Pass < 0 || s.Pos < 0 || s.Line < 0 || s.JournalSize < 0 || s.JournalGen < 0 {
		return errors.New("snapshot has a negative pass, position, line or journal size")
	}
	for k, n := range s.Counts {
		if n < 0 {
			return fmt.Errorf("snapshot has a negative count of %q", k)
		}
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
	sum, err := c.checksum()
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	c.Checksum = sum
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return WriteFileAtomic(path, append(data, '\n'), 0o600)
}

// checksum is the hex SHA-256 of s's compact JSON with Checksum empty.
func (s Snapshot) checksum() (string, error) {
	s.Checksum = ""
	data, err := json.Marshal(&s)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:]), nil
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
