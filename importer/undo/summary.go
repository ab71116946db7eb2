package undo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ciam-import/ciam-import/importer/state"
)

// Summary counts what became of the users of created.csv after a Run, or
// before one (Plan).
type Summary struct {
	Targets   int // users in created.csv
	Deleted   int // gone, by this Run or an earlier one
	Failed    int // still there after this Run's attempts: run undo again
	Pending   int // not attempted yet
	Confirmed int // found gone by a lookup (an answer lost or refused)
}

// Complete reports whether every user the directory created is deleted.
func (s *Summary) Complete() bool { return s.Deleted == s.Targets }

// summarize counts the targets' outcomes.
func summarize(targets []Target, p *progress, confirmed int) *Summary {
	s := &Summary{Targets: len(targets), Confirmed: confirmed}
	for _, t := range targets {
		switch p.last[t.UserID].Outcome {
		case Deleted:
			s.Deleted++
		case Failed:
			s.Failed++
		default:
			s.Pending++
		}
	}
	return s
}

// Plan reads, without the lock and without calling CIAM, what a Run of dir
// would start from: the users of created.csv and those an earlier Run
// deleted. It is what `undo` shows before --yes.
func Plan(dir string) (*Summary, error) {
	targets, err := ReadTargets(dir)
	if err != nil {
		return nil, err
	}
	p, _, err := replay(filepath.Join(dir, JournalFile))
	if err != nil {
		return nil, err
	}
	return summarize(targets, p, 0), nil
}

// Touched reports whether an undo has begun deleting the users of dir: an
// import run must then not resume dir (it would skip rows whose users no
// longer exist), only start over.
func Touched(dir string) (bool, error) {
	_, err := os.Lstat(filepath.Join(dir, JournalFile))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("check undo journal: %w", err)
}

// Forget removes the undo journal of dir, for an import that starts dir
// over; undone.csv stays until the next undo rewrites it. Call it holding
// the directory's lock.
func Forget(dir string) error {
	err := os.Remove(filepath.Join(dir, JournalFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove undo journal: %w", err)
	}
	return state.FsyncDir(dir)
}

// ErrUndone is returned by CheckResume for a directory an undo touched.
var ErrUndone = errors.New("an undo deleted users this state directory created")

// CheckResume refuses (ErrUndone) to resume dir when an undo touched it,
// unless restart: then the undo journal is forgotten. Call it holding the
// directory's lock, after a restart has discarded the import's progress.
func CheckResume(dir string, restart bool) error {
	touched, err := Touched(dir)
	if err != nil || !touched {
		return err
	}
	if restart {
		return Forget(dir)
	}
	return fmt.Errorf("%w (see %s): resuming would skip rows whose users no longer exist; start over with --restart",
		ErrUndone, filepath.Join(dir, ReportFile))
}
