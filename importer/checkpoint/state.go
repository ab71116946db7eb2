package checkpoint

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// MismatchError refuses to resume a state directory made for another input,
// mapping or user store.
type MismatchError struct {
	StateDir string
	Diffs    []string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("resume %s: the state was made for another job (%s); run with --restart to start over, or use another --state-dir",
		e.StateDir, strings.Join(e.Diffs, "; "))
}

// Config says which job a state directory is opened for.
type Config struct {
	Fingerprint state.Fingerprint // the job: a resume of another one is refused
	Restart     bool              // discard the directory's progress and start over
	RetryPass   bool              // start (or resume) a pass over the rows left retryable
	KeyOf       KeyFunc           // a record's legacy key: a retry pass checks the rows it reads again by it
}

// State is the durable state of a state directory, opened for one run:
// the snapshot, the journal after it and the reports. Only Open, the
// settler and Close change it.
type State struct {
	Dir      state.Dir
	Snap     *state.Snapshot
	InFlight map[string]state.Position // rows begun and never settled, by state.Position.Slot, to reconcile first
	Resumed  bool
	Replayed []state.Entry // entries with a UserId or identifiers (Seen) replayed from the journal, for the ledger and the duplicate table
	// LastWrite is when the run before this one last wrote the journal
	// (zero for a fresh state): a row it began may still be arriving at
	// the service, at most one request timeout after it.
	LastWrite time.Time
	// StartedOver, when not empty, says how the job differs from the one
	// an untouched state directory was made for (no row settled, none in
	// flight, an empty journal): Open started it over instead of refusing
	// with a *MismatchError. The caller logs it.
	StartedOver []string

	keyOf   KeyFunc
	journal *state.Journal
	jmu     sync.RWMutex // the settler swaps journal in a rotation while workers begin rows
	reports *report.Writer
	gen     int // the journal generation appended to
}

// Open starts fresh, or resumes from the snapshot and the journal after
// it, leaving reports exactly as long as the rows settled so far. A
// snapshot of another job is a *MismatchError, unless the state is
// untouched (see State.StartedOver), which is started over; a damaged
// state a *state.DamagedError.
func Open(dir state.Dir, cfg Config) (*State, error) {
	snap, err := state.ReadSnapshot(dir.Snapshot())
	if errors.Is(err, state.ErrNoSnapshot) || cfg.Restart { // --restart also gets past a damaged snapshot
		st, err := freshState(dir, cfg.Fingerprint)
		if err == nil {
			st.keyOf = cfg.KeyOf
		}
		return st, err
	}
	if err != nil {
		return nil, err
	}
	if diffs := cfg.Fingerprint.Diff(snap.Fingerprint); len(diffs) > 0 {
		return startOver(dir, snap, cfg, diffs)
	}
	if err := checkJournals(dir, snap); err != nil {
		return nil, err
	}
	lastWrite, err := journalWritten(dir)
	if err != nil {
		return nil, err
	}
	st := &State{Dir: dir, Snap: snap, Resumed: true, InFlight: map[string]state.Position{}, keyOf: cfg.KeyOf, LastWrite: lastWrite}
	if st.reports, err = report.OpenWriter(dir.Path, snap.Reports); err != nil {
		return nil, err
	}
	if err := checkReportCounts(dir, snap); err != nil {
		st.reports.Discard()
		return nil, err
	}
	if err := st.replay(); err != nil {
		st.reports.Close()
		return nil, err
	}
	if st.journal, err = state.OpenJournal(dir.JournalGen(st.gen)); err != nil {
		st.reports.Close()
		return nil, err
	}
	if cfg.RetryPass {
		if err := st.startRetryPass(); err != nil {
			st.discard() // as a crash would: the old snapshot must still match the files
			return nil, err
		}
	}
	return st, nil
}

// freshState starts over. The old snapshot goes first, so a crash halfway
// through leaves a directory that starts fresh again, not a damaged one.
func freshState(dir state.Dir, fp state.Fingerprint) (*State, error) {
	gens, err := dir.JournalGens()
	if err != nil {
		return nil, err
	}
	old := []string{dir.Snapshot(), dir.RetryQueue()} // the snapshot first
	for _, g := range gens {
		old = append(old, dir.JournalGen(g))
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if err := state.FsyncDir(dir.Path); err != nil {
		return nil, err
	}
	st := &State{Dir: dir, InFlight: map[string]state.Position{},
		Snap: &state.Snapshot{Version: state.SnapshotVersion, Fingerprint: fp, Counts: outcome.Counts{}}}
	if st.reports, err = report.OpenWriter(dir.Path, nil); err != nil {
		return nil, err
	}
	if st.journal, err = state.OpenJournal(dir.Journal()); err != nil {
		st.reports.Close()
		return nil, err
	}
	// The first checkpoint, before any row is begun: a journal must never
	// exist without a snapshot, or the next start would take it for a fresh
	// one and delete the begins of rows already sent.
	st.Snap.Reports, st.Snap.UpdatedAt = st.reports.Sizes(), time.Now().UTC()
	if err := state.WriteSnapshot(dir.Snapshot(), st.Snap); err != nil {
		st.Close()
		return nil, fmt.Errorf("write checkpoint: %w", err)
	}
	return st, nil
}

// replay applies the journal written after the snapshot: settle entries are
// re-reported in order, begin entries without a settle become rows to
// reconcile. A torn last line (a crash mid-write) is cut off.
func (st *State) replay() error {
	if st.Snap.Counts == nil {
		st.Snap.Counts = outcome.Counts{}
	}
	for _, p := range st.Snap.InFlight {
		st.InFlight[p.Slot()] = p
	}
	gen, err := st.replayGenerations(func(e state.Entry) error {
		switch e.Op {
		case state.OpBegin:
			p := e.Position()
			st.InFlight[p.Slot()] = p
			return nil
		case state.OpCancel:
			settled(st.InFlight, e)
			return nil
		}
		settled(st.InFlight, e)
		ApplyEntry(st.Snap, e)
		if e.UserID != "" || e.Seen != "" {
			st.Replayed = append(st.Replayed, e)
		}
		return WriteEntry(st.reports, e)
	})
	st.gen = gen
	return err
}

// openSource opens the pass's input at the resume position. An input that
// changed before the cursor refuses the resume like a changed mapping.
func (st *State) OpenSource(in source.Input) (source.Reader, error) {
	var src source.Reader
	var err error
	if st.Snap.Pass > 0 {
		src, err = openRetrySource(st.Dir.RetryQueue(), in, st.Snap.Cursor, st.keyOf)
	} else {
		src, err = in.Open(st.Snap.Cursor)
	}
	var mm *MismatchError
	switch {
	case errors.Is(err, source.ErrChanged):
		return nil, &MismatchError{StateDir: st.Dir.Path, Diffs: []string{err.Error()}}
	case errors.As(err, &mm) && mm.StateDir == "":
		mm.StateDir = st.Dir.Path
	}
	return src, err
}

// discard closes without syncing anything, leaving the files as the last
// snapshot describes them.
func (st *State) discard() {
	st.reports.Discard()
	st.journal.Close()
}

// Close closes the journal and the reports, syncing them.
func (st *State) Close() {
	st.reports.Close()
	st.journal.Close()
}

// journalWritten is the time of the latest write to any journal generation,
// read before the replay (which may cut a torn line and so touch it).
func journalWritten(dir state.Dir) (time.Time, error) {
	gens, err := dir.JournalGens()
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, g := range gens {
		fi, err := os.Lstat(dir.JournalGen(g))
		if err != nil {
			return time.Time{}, fmt.Errorf("check journal: %w", err)
		}
		if fi.ModTime().After(last) {
			last = fi.ModTime()
		}
	}
	return last, nil
}
