package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/ciam-import/ciam-import/importer/state"
)

// untouched reports whether a state directory holds no work at all: the
// snapshot settled no row, has none in flight, is in the main pass at the
// start of the input, and the journal holds no settle and no begin that a
// cancel did not void (the row's only answer proved nothing was created).
// Such a state (e.g. a run refused by the service before its first row
// settled, on a wrong user store id) may be started over for another job
// without --restart: nothing was sent that a resume would have to
// reconcile, and nothing was reported that starting over would lose. It
// only reads.
func untouched(dir state.Dir, snap *state.Snapshot) (bool, error) {
	if snap.Pass != 0 || snap.Cursor != "" || len(snap.InFlight) > 0 || snap.Counts.Settled() > 0 || snap.Done {
		return false, nil
	}
	if _, err := os.Lstat(dir.RetryQueue()); !errors.Is(err, fs.ErrNotExist) {
		return false, nil // a retry pass's queue (or an unreadable one): not ours to discard
	}
	gens, err := dir.JournalGens()
	if err != nil {
		return false, fmt.Errorf("check journal: %w", err)
	}
	for _, g := range gens {
		if ok, err := voidJournal(dir.JournalGen(g)); !ok || err != nil {
			return false, err
		}
	}
	return true, nil
}

// voidJournal reports whether the journal at path holds nothing but begins
// each voided by its cancel. A torn tail counts as work: it may be a begin.
func voidJournal(path string) (bool, error) {
	open, done := map[string]state.Position{}, false
	valid, err := state.ReplayJournal(path, 0, func(e state.Entry, _ int64) error {
		switch e.Op {
		case state.OpBegin:
			p := e.Position()
			open[p.Slot()] = p
		case state.OpCancel:
			settled(open, e)
		default:
			done = true
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("check journal %s: %w", path, err)
	}
	fi, err := os.Lstat(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("check journal: %w", err)
	}
	torn := err == nil && (!fi.Mode().IsRegular() || fi.Size() > valid)
	return !done && len(open) == 0 && !torn, nil
}

// startOver opens a fresh state in place of an untouched one made for
// another job, remembering why in StartedOver; a touched one is the
// *MismatchError.
func startOver(dir state.Dir, snap *state.Snapshot, cfg Config, diffs []string) (*State, error) {
	ok, err := untouched(dir, snap)
	if err != nil {
		return nil, err
	}
	if !ok || cfg.RetryPass {
		return nil, &MismatchError{StateDir: dir.Path, Diffs: diffs}
	}
	st, err := freshState(dir, cfg.Fingerprint)
	if err != nil {
		return nil, err
	}
	st.keyOf, st.StartedOver = cfg.KeyOf, diffs
	return st, nil
}
