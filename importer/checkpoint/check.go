package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// checkJournals cross-checks the snapshot against the journal generations
// on disk before anything is replayed or deleted. The snapshot's generation
// always exists once a snapshot names it (a fresh state and a rotation
// create it before the snapshot), and a rotation writes its snapshot before
// the next one starts, so at most one generation is newer. A missing or
// short generation, or a newer one beyond that, is a *state.DamagedError:
// the begins of rows already sent may be lost, so resending could create a
// user twice.
func checkJournals(dir state.Dir, snap *state.Snapshot) error {
	path := dir.JournalGen(snap.JournalGen)
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &state.DamagedError{Path: path, Problem: fmt.Sprintf(
			"the journal is missing; the snapshot counts %d bytes of journal generation %d", snap.JournalSize, snap.JournalGen)}
	} else if err != nil {
		return fmt.Errorf("check journal: %w", err)
	}
	if fi.Mode().IsRegular() && fi.Size() < snap.JournalSize {
		return &state.DamagedError{Path: path, Problem: fmt.Sprintf(
			"the journal has %d bytes; the snapshot counts %d", fi.Size(), snap.JournalSize)}
	}
	gens, err := dir.JournalGens()
	if err != nil {
		return fmt.Errorf("check journal: %w", err)
	}
	if n := len(gens); n > 0 && gens[n-1] > snap.JournalGen+1 {
		return &state.DamagedError{Path: dir.JournalGen(gens[n-1]), Problem: fmt.Sprintf(
			"journal generation %d exists but the snapshot names generation %d", gens[n-1], snap.JournalGen)}
	}
	return nil
}

// checkReportCounts cross-checks the snapshot's counts against the rows of
// the reports, which OpenWriter has just cut back to the snapshot's sizes:
// every settled row is one report row, so they must agree exactly.
func checkReportCounts(dir state.Dir, snap *state.Snapshot) error {
	for _, o := range outcome.All {
		n, err := report.Count(dir.Report(o.File))
		if err != nil {
			return &state.DamagedError{Path: dir.Report(o.File), Problem: "the report does not read", Err: err}
		}
		if want := snap.Counts.Of(o); n != want {
			return &state.DamagedError{Path: dir.Report(o.File), Problem: fmt.Sprintf(
				"the report holds %d rows; the snapshot counts %d %s", n, want, o.Name)}
		}
	}
	return nil
}
