package checkpoint

import (
	"context"
	"fmt"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// checkpointEvery is how often the settler makes progress durable; a crash
// loses at most this much settling work, which the journal then replays.
const checkpointEvery = time.Second

// checkpointRows also checkpoints after this many settled rows, so rows
// that settle without a request (a nightly sync's unchanged rows, 50,000+
// a second) do not pile up a second's worth of journal entries in memory:
// 10^6 unchanged rows used to hold ~90 MB of buffered journal against the
// 100 MiB soft memory limit, and spent half their CPU in the GC.
const checkpointRows = 16384

// Progress is what the settler reports as rows settle.
type Progress struct {
	Counts outcome.Counts
	Pass   int
	Pos    int64   // progress through the input settled, in the source's unit (bytes, rows)
	Size   int64   // the input's end in that unit, -1 when not known
	Rate   float64 // current allowed CreateUser rate
}

// Observer hears every row settled and the allowed rate; it must be safe
// for concurrent use and cheap.
type Observer interface {
	Settled(outcome string, n int)
	SetRate(perSecond float64)
}

// Ledger is what the settler needs of the ledger: the users that settled
// rows name are queued as they settle and flushed at each checkpoint, once
// their settle entries are durable.
type Ledger interface {
	Settled(e state.Entry)
	Flush(now time.Time) error
}

// SettlerConfig is what a pass tells its settler.
type SettlerConfig struct {
	Progress func(Progress) // nil: nobody listens
	Rate     func() float64 // the current allowed CreateUser rate, for progress
	Size     int64          // the input's Size, for progress
	Observer Observer       // required
	Ledger   Ledger         // nil without --ledger
	Now      func() time.Time
}

// Settler owns the snapshot, the reports and the journal's settle entries
// of one pass. Settle and Checkpoint are called by the settler goroutine
// only; Begin and Cancel by the sinks' workers, concurrently.
type Settler struct {
	st      *State
	cfg     SettlerConfig
	tracker *tracker
	pass    int // fixed for the pass; workers read it concurrently

	lastCheckpoint  time.Time
	sinceCheckpoint int // rows settled since lastCheckpoint
	lastProgress    time.Time
}

// Settler returns the settler of the pass. The rows an earlier run left in
// doubt stay in every checkpoint until they settle: the journal's begins of
// them are behind JournalSize now.
func (st *State) Settler(cfg SettlerConfig) *Settler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rate == nil {
		cfg.Rate = func() float64 { return 0 }
	}
	tr := newTracker()
	for _, p := range st.InFlight {
		tr.add(p)
	}
	return &Settler{st: st, cfg: cfg, tracker: tr, pass: st.Snap.Pass}
}

// Settle records one row's final outcome for this pass: journal, report,
// snapshot counts, ledger; it checkpoints every second or checkpointRows rows.
func (s *Settler) Settle(e state.Entry) error {
	s.st.journal.Append(e)
	if err := WriteEntry(s.st.reports, e); err != nil {
		return err
	}
	ApplyEntry(s.st.Snap, e)
	s.cfg.Observer.Settled(e.Outcome, 1)
	s.tracker.done(e)
	if s.cfg.Ledger != nil {
		s.cfg.Ledger.Settled(e)
	}
	t := s.cfg.Now()
	if t.Sub(s.lastProgress) >= 200*time.Millisecond {
		s.lastProgress = t
		s.report()
	}
	if s.sinceCheckpoint++; t.Sub(s.lastCheckpoint) >= checkpointEvery || s.sinceCheckpoint >= checkpointRows {
		return s.Checkpoint()
	}
	return nil
}

// ApplyEntry moves the snapshot past one settled row.
func ApplyEntry(snap *state.Snapshot, e state.Entry) {
	snap.Counts.Add(e.Outcome, 1)
	if e.Pass == 0 {
		snap.Counts.Add(outcome.ReadKey, 1)
	}
	snap.Cursor, snap.Line, snap.Pos = e.Next, e.Line, e.Pos
}

// WriteEntry appends the report row of a settle entry.
func WriteEntry(w *report.Writer, e state.Entry) error {
	o, _ := outcome.ByName(e.Outcome) // the journal refuses entries with an unknown outcome
	if err := w.Write(o, e.Row()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// Checkpoint makes everything settled so far durable: journal, reports, then
// the snapshot that points at both.
func (s *Settler) Checkpoint() error {
	if err := s.st.journal.Sync(); err != nil {
		return fmt.Errorf("sync journal: %w", err)
	}
	if err := s.st.reports.Sync(); err != nil {
		return fmt.Errorf("sync reports: %w", err)
	}
	// The ledger before the snapshot: its keys' settle entries are durable
	// now, and still replayed (and added again) if the snapshot is not
	// written; once it is, nothing would bring back keys not flushed.
	if s.cfg.Ledger != nil {
		if err := s.cfg.Ledger.Flush(s.cfg.Now()); err != nil {
			return err
		}
	}
	s.st.Snap.JournalGen, s.st.Snap.JournalSize = s.st.gen, s.st.journal.Size()
	s.st.Snap.Reports = s.st.reports.Sizes()
	s.st.Snap.InFlight = s.tracker.list() // after the sync: a superset of the begun rows it holds
	s.st.Snap.UpdatedAt = s.cfg.Now().UTC()
	if err := state.WriteSnapshot(s.st.Dir.Snapshot(), s.st.Snap); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	s.lastCheckpoint, s.sinceCheckpoint = s.cfg.Now(), 0
	if s.st.journal.Size() >= journalRotateAt {
		return s.rotate()
	}
	return nil
}

func (s *Settler) report() {
	s.cfg.Observer.SetRate(s.cfg.Rate())
	if s.cfg.Progress == nil {
		return
	}
	s.cfg.Progress(Progress{Counts: s.st.Snap.Counts.Clone(), Pass: s.st.Snap.Pass, Pos: s.st.Snap.Pos, Size: s.cfg.Size, Rate: s.cfg.Rate()})
}

// Begin journals the row at pos as in flight in pos.Sink, with its
// identity (pos.Key, pos.Digest), and waits until that is durable: nothing
// may be sent for the row before it returns nil.
func (s *Settler) Begin(ctx context.Context, pos state.Position) error {
	s.tracker.add(pos)
	return s.commit(ctx, state.Entry{Op: state.OpBegin, Line: pos.Line, ID: pos.ID, Sink: pos.Sink, Key: pos.Key,
		RowDigest: pos.Digest, Pass: s.pass})
}

// Cancel journals that nothing was sent for the begun row at pos (ID and
// Key) after all, and waits until that is durable.
func (s *Settler) Cancel(ctx context.Context, pos state.Position) error {
	e := state.Entry{Op: state.OpCancel, Line: pos.Line, ID: pos.ID, Key: pos.Key, Pass: s.pass}
	if err := s.commit(ctx, e); err != nil {
		return err
	}
	s.tracker.done(e)
	return nil
}

func (s *Settler) commit(ctx context.Context, e state.Entry) error {
	s.st.jmu.RLock()
	defer s.st.jmu.RUnlock()
	return s.st.journal.Commit(ctx, s.st.journal.Append(e))
}
