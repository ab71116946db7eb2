package importer

import (
	"log/slog"
	"time"

	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/state"
)

// seenConfig tunes the state directory's duplicate table: the durable
// default; tests make its in-memory part small (export_test.go).
var seenConfig dedup.Config

// openSeen opens the state directory's duplicate table for st and replays
// into it the settle entries the journal held after the snapshot. A state
// that starts fresh has no settled row, so it starts with an empty table
// (--restart, or a table left by a crash before the first snapshot).
func openSeen(dir state.Dir, st *checkpoint.State, log *slog.Logger) (*dedup.Table, error) {
	if !st.Resumed {
		if err := dedup.Remove(dir.Seen()); err != nil {
			return nil, err
		}
	}
	tab, err := dedup.Open(dir.Seen(), seenConfig)
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
