package importer

import (
	"context"
	"fmt"
	"sync"
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

// settler owns the snapshot, the reports and the journal's settle entries.
// Only the settler goroutine calls it.
type settler struct {
	dir      state.Dir
	snap     *state.Snapshot
	journal  *state.Journal // swapped by rotate under jmu; workers hold jmu.RLock in begin
	jmu      sync.RWMutex
	gen      int // journal generation
	reports  *report.Writer
	tracker  *tracker
	ledger   *Ledger // nil without --ledger
	pass     int     // fixed for the pass; workers read it concurrently
	progress func(Progress)
	rate     func() float64
	size     int64 // the input's Size, for progress
	obs      Observer
	now      func() time.Time

	lastCheckpoint  time.Time
	sinceCheckpoint int // rows settled since lastCheckpoint
	lastProgress    time.Time
}

// settle records one row's final outcome for this pass.
func (s *settler) settle(r result) error {
	e := r.entry
	s.journal.Append(e)
	if err := writeEntry(s.reports, e); err != nil {
		return err
	}
	applyEntry(s.snap, e)
	s.obs.Settled(e.Outcome, 1)
	s.tracker.done(e.ID)
	if s.ledger != nil {
		s.ledger.Record(e)
	}
	t := s.now()
	if t.Sub(s.lastProgress) >= 200*time.Millisecond {
		s.lastProgress = t
		s.report()
	}
	if s.sinceCheckpoint++; t.Sub(s.lastCheckpoint) >= checkpointEvery || s.sinceCheckpoint >= checkpointRows {
		return s.checkpoint()
	}
	return nil
}

// applyEntry moves the snapshot past one settled row.
func applyEntry(snap *state.Snapshot, e state.Entry) {
	snap.Counts.Add(e.Outcome, 1)
	if e.Pass == 0 {
		snap.Counts.Add(outcome.ReadKey, 1)
	}
	snap.Cursor, snap.Line, snap.Pos = e.Next, e.Line, e.Pos
}

// writeEntry appends the report row of a settle entry.
func writeEntry(w *report.Writer, e state.Entry) error {
	o, _ := outcome.ByName(e.Outcome) // the journal refuses entries with an unknown outcome
	if err := w.Write(o, e.Row()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// checkpoint makes everything settled so far durable: journal, reports, then
// the snapshot that points at both.
func (s *settler) checkpoint() error {
	if err := s.journal.Sync(); err != nil {
		return fmt.Errorf("sync journal: %w", err)
	}
	if err := s.reports.Sync(); err != nil {
		return fmt.Errorf("sync reports: %w", err)
	}
	// The ledger before the snapshot: its keys' settle entries are durable
	// now, and still replayed (and added again) if the snapshot is not
	// written; once it is, nothing would bring back keys not flushed.
	if s.ledger != nil {
		if err := s.ledger.Flush(s.now()); err != nil {
			return err
		}
	}
	s.snap.JournalGen, s.snap.JournalSize = s.gen, s.journal.Size()
	s.snap.Reports = s.reports.Sizes()
	s.snap.InFlight = s.tracker.list() // after the sync: a superset of the begun rows it holds
	s.snap.UpdatedAt = s.now().UTC()
	if err := state.WriteSnapshot(s.dir.Snapshot(), s.snap); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	s.lastCheckpoint, s.sinceCheckpoint = s.now(), 0
	if s.journal.Size() >= journalRotateAt {
		return s.rotate()
	}
	return nil
}

func (s *settler) report() {
	s.obs.SetRate(s.rate())
	if s.progress == nil {
		return
	}
	s.progress(Progress{Counts: s.snap.Counts.Clone(), Pass: s.snap.Pass, Pos: s.snap.Pos, Size: s.size, Rate: s.rate()})
}

// begin journals a row as in flight in a sink and waits until that is
// durable.
func (s *settler) begin(ctx context.Context, j *job, sink string) error {
	pos := state.Position{Line: j.rec.Line, ID: j.rec.ID, Sink: sink}
	s.tracker.add(pos)
	return s.commit(ctx, state.Entry{Op: state.OpBegin, Line: pos.Line, ID: pos.ID, Sink: sink, Key: j.user.Key, Pass: s.pass})
}

// cancel journals that a begun row was not sent after all.
func (s *settler) cancel(ctx context.Context, j *job) error {
	if err := s.commit(ctx, state.Entry{Op: state.OpCancel, Line: j.rec.Line, ID: j.rec.ID, Pass: s.pass}); err != nil {
		return err
	}
	s.tracker.done(j.rec.ID)
	return nil
}

func (s *settler) commit(ctx context.Context, e state.Entry) error {
	s.jmu.RLock()
	defer s.jmu.RUnlock()
	return s.journal.Commit(ctx, s.journal.Append(e))
}
