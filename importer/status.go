package importer

import (
	"errors"
	"os"

	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// Status is what a state directory says about its job.
type Status struct {
	StateDir string            `json:"state_dir"`
	Snapshot *state.Snapshot   `json:"snapshot,omitempty"` // nil before the first checkpoint
	Reports  map[string]int64  `json:"reports"`            // data rows per report file
	Runs     []state.RunRecord `json:"runs"`
	InFlight int               `json:"in_flight"` // rows begun and not settled at the last checkpoint
}

// ReadStatus reads a state directory without locking it, so it works while
// a run is going on; the figures are those of the last checkpoint.
func ReadStatus(dir string) (*Status, error) {
	d := state.Dir{Path: dir}
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	st := &Status{StateDir: dir, Reports: map[string]int64{}}
	snap, err := state.ReadSnapshot(d.Snapshot())
	if err != nil && !errors.Is(err, state.ErrNoSnapshot) {
		return nil, err
	}
	if snap != nil {
		st.Snapshot, st.InFlight = snap, len(snap.InFlight)
	}
	for _, name := range report.Files {
		n, err := report.Count(d.Report(name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		st.Reports[name] = n
	}
	if st.Runs, err = state.ReadRuns(d.Runs()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return st, nil
}
