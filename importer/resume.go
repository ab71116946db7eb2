package importer

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/pace"
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
	gen      int                       // the journal generation appended to
	inflight map[string]state.Position // rows begun and never settled, by source id, to reconcile first
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
		st.ledger.Record(e)
	}
}

// openState starts fresh, or resumes from the snapshot and the journal after
// it, leaving reports exactly as long as the rows settled so far.
func openState(dir state.Dir, opt Options) (*runState, error) {
	snap, err := state.ReadSnapshot(dir.Snapshot())
	if errors.Is(err, state.ErrNoSnapshot) || opt.Restart { // --restart also gets past a damaged snapshot
		return freshState(dir, fingerprint(opt))
	}
	if err != nil {
		return nil, err
	}
	if diffs := fingerprint(opt).Diff(snap.Fingerprint); len(diffs) > 0 {
		return nil, &MismatchError{StateDir: dir.Path, Diffs: diffs}
	}
	if err := checkJournals(dir, snap); err != nil {
		return nil, err
	}
	st := &runState{dir: dir, snap: snap, resumed: true, inflight: map[string]state.Position{}}
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
	if opt.RetryPass {
		if err := st.startRetryPass(); err != nil {
			st.discard() // as a crash would: the old snapshot must still match the files
			return nil, err
		}
	}
	return st, nil
}

// fingerprint identifies the job. Whether the input still holds what the
// snapshot's cursor was taken from, the source checks when it opens there.
func fingerprint(opt Options) state.Fingerprint {
	return state.Fingerprint{Input: opt.Input.Identity(), MappingSHA256: opt.Spec.Hash(), UserStoreID: opt.UserStoreID}
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
	st := &runState{dir: dir, inflight: map[string]state.Position{},
		snap: &state.Snapshot{Version: state.SnapshotVersion, Fingerprint: fp, Counts: outcome.Counts{}}}
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
	if st.snap.Counts == nil {
		st.snap.Counts = outcome.Counts{}
	}
	for _, p := range st.snap.InFlight {
		st.inflight[p.ID] = p
	}
	gen, err := st.replayGenerations(func(e state.Entry) error {
		switch e.Op {
		case state.OpBegin:
			st.inflight[e.ID] = state.Position{Line: e.Line, ID: e.ID, Sink: e.Sink}
			return nil
		case state.OpCancel:
			delete(st.inflight, e.ID)
			return nil
		}
		delete(st.inflight, e.ID)
		applyEntry(st.snap, e)
		if e.UserID != "" {
			st.replayed = append(st.replayed, e)
		}
		return writeEntry(st.reports, e)
	})
	st.gen = gen
	return err
}

// openSource opens the pass's input at the resume position. An input that
// changed before the cursor refuses the resume like a changed mapping.
func (st *runState) openSource(opt Options) (source.Reader, error) {
	var src source.Reader
	var err error
	if st.snap.Pass > 0 {
		src, err = openRetrySource(st.dir.RetryQueue(), opt.Input, st.snap.Cursor)
	} else {
		src, err = opt.Input.Open(st.snap.Cursor)
	}
	if errors.Is(err, source.ErrChanged) {
		return nil, &MismatchError{StateDir: st.dir.Path, Diffs: []string{err.Error()}}
	}
	return src, err
}

func (st *runState) settler(opt Options, pacer *pace.Pacer) *settler {
	if opt.Observer == nil {
		opt.Observer = nopObserver{}
	}
	// The rows an earlier run left in doubt stay in every checkpoint until
	// they settle: the journal's begins of them are behind JournalSize now.
	tr := newTracker()
	for _, p := range st.inflight {
		tr.add(p)
	}
	return &settler{dir: st.dir, snap: st.snap, journal: st.journal, gen: st.gen, reports: st.reports, tracker: tr, ledger: st.ledger,
		pass: st.snap.Pass, progress: opt.Progress, now: opt.Now, size: opt.Input.Size(), obs: opt.Observer,
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
