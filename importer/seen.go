package importer

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// seenConfig tunes the state directory's duplicate table: the durable
// default; tests make its in-memory part small (export_test.go).
var seenConfig dedup.Config

// openSeen opens the state directory's duplicate table for st and replays
// into it the settle entries the journal held after the snapshot. A state
// that starts fresh has no settled row, so it starts with an empty table
// (--restart, or a table left by a crash before the first snapshot).
func openSeen(dir state.Dir, st *checkpoint.State, read *readProgress, log *slog.Logger) (*dedup.Table, error) {
	if !st.Resumed {
		if err := dedup.Remove(dir.Seen()); err != nil {
			return nil, err
		}
	}
	cfg := seenConfig
	cfg.Progress = read.fraction
	tab, err := dedup.Open(dir.Seen(), cfg)
	if err != nil {
		return nil, err
	}
	if st.Resumed && tab.Len() == 0 && st.Snap.Counts.Settled() > 0 {
		log.Warn("the state directory has no duplicate table (made by an older version): duplicates of rows settled before this run are not detected")
	}
	for _, e := range st.Replayed {
		tab.Settled(e) // the next checkpoint flushes them
	}
	return tab, nil
}

// ledgers is every checkpoint.Ledger of a pass, flushed in order at each
// checkpoint.
type ledgers []checkpoint.Ledger

func (ls ledgers) Settled(e state.Entry) {
	for _, l := range ls {
		l.Settled(e)
	}
}

func (ls ledgers) Flush(now time.Time) error {
	for _, l := range ls {
		if err := l.Flush(now); err != nil {
			return err
		}
	}
	return nil
}

// readProgress is how far the reader of a pass is through its input (in
// the unit of source.Input.Size), for the duplicate table's filter
// (dedup.Config.Progress): it grows to what the whole input needs.
type readProgress struct {
	pos  atomic.Int64
	size int64 // 0: unknown
}

// newReadProgress is the progress through in. Only an exact size counts:
// a table's row count too high would size the filter for rows that never
// come (up to 2.2 times what the table needs), so a database input leaves
// the filter to grow by half at a time.
func newReadProgress(in source.Input) *readProgress {
	if !source.SizeIsExact(in) {
		return &readProgress{}
	}
	return &readProgress{size: in.Size()}
}

// fraction is the part of the input read, 0 when the size is unknown.
func (r *readProgress) fraction() float64 {
	if r.size <= 0 {
		return 0
	}
	return min(float64(r.pos.Load())/float64(r.size), 1)
}
