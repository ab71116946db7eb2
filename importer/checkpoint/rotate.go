package checkpoint

import (
	"errors"
	"fmt"
	"os"

	"github.com/ciam-import/ciam-import/importer/state"
)

// journalRotateAt is the journal size past which a checkpoint starts a new
// journal generation and deletes the old one, so a 10-million-row run keeps
// a journal of at most this size plus one second of rows.
var journalRotateAt int64 = 64 << 20

// rotate runs in the settler, after a durable checkpoint: it switches the
// workers to a new journal generation, writes a snapshot naming it, then
// deletes the old one. A crash before that snapshot is safe: resume replays
// every generation from the snapshot's one on.
func (s *Settler) rotate() error {
	st := s.st
	next, err := state.OpenJournal(st.Dir.JournalGen(st.gen + 1))
	if err != nil {
		return fmt.Errorf("rotate journal: %w", err)
	}
	st.jmu.Lock()
	old, oldPath := st.journal, st.Dir.JournalGen(st.gen)
	st.journal = next
	st.gen++
	st.jmu.Unlock()
	if err := old.Close(); err != nil { // syncs the begins appended since the checkpoint
		return fmt.Errorf("rotate journal: %w", err)
	}
	st.Snap.JournalGen, st.Snap.JournalSize = st.gen, 0
	st.Snap.InFlight = s.tracker.list() // holds the begins left in the old generation
	if err := state.WriteSnapshot(st.Dir.Snapshot(), st.Snap); err != nil {
		return fmt.Errorf("rotate journal: %w", err)
	}
	if err := os.Remove(oldPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("rotate journal: %w", err)
	}
	return state.FsyncDir(st.Dir.Path)
}

// replayGenerations replays the snapshot's journal generation from its
// recorded size and every later one from its start (a crash between a
// rotation and its snapshot leaves one), deletes generations the snapshot no
// longer needs, and returns the generation to append to.
func (st *State) replayGenerations(apply func(state.Entry) error) (int, error) {
	gens, err := st.Dir.JournalGens()
	if err != nil {
		return 0, err
	}
	last := st.Snap.JournalGen
	for _, g := range gens {
		switch {
		case g < st.Snap.JournalGen:
			if err := os.Remove(st.Dir.JournalGen(g)); err != nil {
				return 0, err
			}
		case g == st.Snap.JournalGen:
			err = replayOne(st.Dir.JournalGen(g), st.Snap.JournalSize, apply)
		default:
			err, last = replayOne(st.Dir.JournalGen(g), 0, apply), g
		}
		if err != nil {
			return 0, err
		}
	}
	return last, nil
}

// replayOne replays one journal file from byte from and cuts a torn last line.
func replayOne(path string, from int64, apply func(state.Entry) error) error {
	valid, err := state.ReplayJournal(path, from, func(e state.Entry, _ int64) error { return apply(e) })
	if errors.Is(err, os.ErrNotExist) && from == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("replay journal %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > valid {
		return state.TruncateFile(path, valid) // drops a torn last line
	}
	return nil
}

// SetJournalRotateAt makes journals rotate at n bytes until restore is
// called, so tests see rotations on small inputs. Not for production use.
func SetJournalRotateAt(n int64) (restore func()) {
	old := journalRotateAt
	journalRotateAt = n
	return func() { journalRotateAt = old }
}
