package importer

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

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

// runState is the durable state of a state directory, opened for one run.
type runState struct {
	dir      state.Dir
	snap     *state.Snapshot
	journal  *state.Journal
	reports  *report.Writer
	gen      int                      // the journal generation appended to
	inflight map[int64]state.Position // rows begun and never settled, by offset, to reconcile first
	resumed  bool
	ledger   *Ledger       // nil without --ledger
	replayed []state.Entry // created/skipped entries replayed from the journal, for the ledger
}

// addToLedger queues the users that entries imported; the next checkpoint
// flushes them.
func (st *runState) addToLedger(entries []state.Entry) {
	if st.ledger == nil {
		return
	}
	for _, e := range entries {
		if e.Outcome == OutcomeCreated || e.Outcome == OutcomeSkipped {
			st.ledger.Add(e.Key, e.UserID)
		}
	}
}

// openState starts fresh, or resumes from the snapshot and the journal after
// it, leaving reports exactly as long as the rows settled so far.
func openState(dir state.Dir, opt Options) (*runState, error) {
	snap, err := state.ReadSnapshot(dir.Snapshot())
	if errors.Is(err, state.ErrNoSnapshot) || opt.Restart { // --restart also gets past a damaged snapshot
		fp, err := fingerprint(opt, nil)
		if err != nil {
			return nil, err
		}
		return freshState(dir, fp)
	}
	if err != nil {
		return nil, err
	}
	fp, err := fingerprint(opt, &snap.Fingerprint)
	if err != nil {
		return nil, err
	}
	if err := checkFingerprint(dir, snap, fp); err != nil {
		return nil, err
	}
	st := &runState{dir: dir, snap: snap, resumed: true, inflight: map[int64]state.Position{}}
	if st.reports, err = report.OpenWriter(dir.Path, snap.Reports); err != nil {
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
	if opt.RetryPass {
		if err := st.startRetryPass(); err != nil {
			st.discard() // as a crash would: the old snapshot must still match the files
			return nil, err
		}
	}
	return st, nil
}

// fingerprint identifies the job; prev lets a small input that only grew be
// recognised.
func fingerprint(opt Options, prev *state.Fingerprint) (state.Fingerprint, error) {
	fp, err := state.FingerprintInput(opt.Input, prev)
	if err != nil {
		return state.Fingerprint{}, fmt.Errorf("fingerprint input: %w", err)
	}
	fp.MappingSHA256, fp.UserStoreID, fp.Format = opt.Spec.Hash(), opt.UserStoreID, opt.Format
	return fp, nil
}

// checkFingerprint accepts the same job, or an input that only grew at its
// end (a nightly export appended to), which reopens a finished main pass.
func checkFingerprint(dir state.Dir, snap *state.Snapshot, fp state.Fingerprint) error {
	if diffs := fp.Diff(snap.Fingerprint); len(diffs) > 0 { // growth alone is no difference
		return &MismatchError{StateDir: dir.Path, Diffs: diffs}
	}
	if fp.GrewFrom(snap.Fingerprint) {
		snap.Fingerprint = fp
		if snap.Pass == 0 {
			snap.Done = false
		}
	}
	return nil
}

// freshState starts over. The old snapshot goes first, so a crash halfway
// through leaves a directory that starts fresh again, not a damaged one.
func freshState(dir state.Dir, fp state.Fingerprint) (*runState, error) {
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
	st := &runState{dir: dir, inflight: map[int64]state.Position{},
		snap: &state.Snapshot{Version: state.SnapshotVersion, Fingerprint: fp}}
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
	st.snap.Reports, st.snap.UpdatedAt = st.reports.Sizes(), time.Now().UTC()
	if err := state.WriteSnapshot(dir.Snapshot(), st.snap); err != nil {
		st.close()
		return nil, fmt.Errorf("write checkpoint: %w", err)
	}
	return st, nil
}

// replay applies the journal written after the snapshot: settle entries are
// re-reported in order, begin entries without a settle become rows to
// reconcile. A torn last line (a crash mid-write) is cut off.
func (st *runState) replay() error {
	for _, p := range st.snap.InFlight {
		st.inflight[p.Offset] = p
	}
	gen, err := st.replayGenerations(func(e state.Entry) error {
		if e.Op == state.OpBegin {
			st.inflight[e.Offset] = state.Position{Line: e.Line, Offset: e.Offset, End: e.End}
			return nil
		}
		delete(st.inflight, e.Offset)
		applyEntry(st.snap, e)
		if e.Outcome == OutcomeCreated || e.Outcome == OutcomeSkipped {
			st.replayed = append(st.replayed, e)
		}
		return writeReport(st.reports, e)
	})
	st.gen = gen
	return err
}

// openSource opens the pass's input at the resume position.
func (st *runState) openSource(opt Options) (source.Reader, error) {
	o := source.Options{Format: opt.Format, Delimiter: opt.Delimiter, Offset: st.snap.Offset, Line: st.snap.Line}
	if st.snap.Pass > 0 {
		return openRetrySource(st.dir.RetryQueue(), opt.Input, o)
	}
	return source.Open(opt.Input, o)
}

func (st *runState) settler(opt Options, pacer *Pacer) *settler {
	// The rows an earlier run left in doubt stay in every checkpoint until
	// they settle: the journal's begins of them are behind JournalSize now.
	tr := newTracker()
	for _, p := range st.inflight {
		tr.add(p)
	}
	return &settler{dir: st.dir, snap: st.snap, journal: st.journal, gen: st.gen, reports: st.reports, tracker: tr, ledger: st.ledger,
		pass: st.snap.Pass, progress: opt.Progress, now: opt.Now,
		rate: func() float64 { return pacer.Rate("CreateUser") }}
}

// discard closes without syncing anything, leaving the files as the last
// snapshot describes them.
func (st *runState) discard() {
	st.reports.Discard()
	st.journal.Close()
	if st.ledger != nil {
		st.ledger.Close()
	}
}

func (st *runState) close() {
	st.reports.Close()
	st.journal.Close()
	if st.ledger != nil {
		st.ledger.Close()
	}
}
