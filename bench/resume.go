package main

import (
	"context"
	"fmt"
	"github.com/ciam-import/ciam-import/importer/source"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// resumeResult times a run from its process start to its first CreateUser
// reaching the emulator.
type resumeResult struct {
	resumed, fresh []time.Duration
	at             int // the 0-based row the resume starts at
	seen           int // identifiers in the seed's duplicate table
}

// resumeFigures runs figure 7. Importing 90 % of a million rows first is out
// of the budget, so the state is made honestly but cheaply: a real run
// reads the first 10 rows (--max-rows), settles
// what it sent and checkpoints; then its snapshot is moved,
// with package state, to the row at 90 % (cursor and line; the counts stay
// those of the 10 rows, which the reports hold), and its duplicate table is
// filled, with package dedup, with the identifiers of every row before
// that one as the run that settled them would have left it (fillSeen), so
// that the resume opens a table of that size. Each timed resume starts from
// a copy of that directory. The reference is a fresh start on the same file.
func resumeFigures(ctx context.Context, c *config, mappingPath string) (resumeResult, error) {
	path, err := input(c.dataDir, "csv", c.resumeRows)
	if err != nil {
		return resumeResult{}, err
	}
	em, err := startEmulator(0, emulator.FaultSpec{}, 5)
	if err != nil {
		return resumeResult{}, err
	}
	defer em.Close()
	j := job{input: path, mapping: mappingPath, em: em, extra: []string{"--max-rows", "10"}}
	seed, err := seedResumeState(ctx, c, j)
	if err != nil {
		return resumeResult{}, err
	}
	res := resumeResult{at: c.resumeRows * 9 / 10}
	if err := moveSnapshot(seed, path, res.at); err != nil {
		return resumeResult{}, err
	}
	start := time.Now()
	if res.seen, err = fillSeen(seed, path, mappingPath, res.at); err != nil {
		return resumeResult{}, err
	}
	logf("resume seed: duplicate table filled with the %d identifiers of %d rows in %s", res.seen, res.at, time.Since(start).Round(time.Millisecond))
	for i := range c.runs {
		r, err := timeFirstRequest(ctx, c, j, seed)
		if err != nil {
			return resumeResult{}, err
		}
		f, err := timeFirstRequest(ctx, c, j, "")
		if err != nil {
			return resumeResult{}, err
		}
		logf("resume %d/%d at row %d: first request after %s (fresh start: %s)", i+1, c.runs, res.at,
			r.Round(time.Millisecond), f.Round(time.Millisecond))
		res.resumed, res.fresh = append(res.resumed, r), append(res.fresh, f)
	}
	return res, nil
}

func seedResumeState(ctx context.Context, c *config, j job) (string, error) {
	dir, err := freshDir(c.workDir, "resume-seed-")
	if err != nil {
		return "", err
	}
	j.stateDir = dir
	_, sum, err := j.run(ctx, c.bin)
	if err != nil {
		return "", err
	}
	if sum.Counts.Read() == 0 || sum.Done {
		return "", fmt.Errorf("resume seed: settled %d rows, done %v", sum.Counts.Read(), sum.Done)
	}
	return dir, nil
}

// moveSnapshot points the checkpoint of dir at row (0-based) of the
// generated CSV at path, with the cursor the file source itself gives after
// the row before it (a cursor carries what the source checks on resume, so
// it cannot be made up).
func moveSnapshot(dir, path string, row int) error {
	d := state.Dir{Path: dir}
	snap, err := state.ReadSnapshot(d.Snapshot())
	if err != nil {
		return err
	}
	r, err := openFromStart(path)
	if err != nil {
		return err
	}
	defer r.Close()
	var rec source.Record
	for i := 0; i < row; i++ {
		if rec, err = r.Next(); err != nil {
			return fmt.Errorf("move snapshot to row %d: %w", row, err)
		}
	}
	// The counts stay those of the rows really settled: a resume checks them
	// against the reports (a damaged state otherwise), and the rows skipped
	// over have no report lines.
	snap.Cursor, snap.Line, snap.Pos = rec.Next, rec.Line, rec.Pos
	return state.WriteSnapshot(d.Snapshot(), snap)
}

// timeFirstRequest runs j (20 rows) on a copy of the state directory from
// (a fresh one if from is ""), and returns the time from the process start
// to the emulator's admission of its first CreateUser.
func timeFirstRequest(ctx context.Context, c *config, j job, from string) (time.Duration, error) {
	dir, err := freshDir(c.workDir, "resume-run-")
	if err != nil {
		return 0, err
	}
	if from != "" {
		if err := copyDir(from, dir); err != nil {
			return 0, err
		}
	}
	j.stateDir = dir
	j.extra = []string{"--max-rows", "20"}
	before := len(j.em.Server.Admitted(ciam.ActionCreateUser))
	p, sum, err := j.run(ctx, c.bin)
	if err != nil {
		return 0, err
	}
	if n := sum.Counts.Of(outcome.Conflict); n > 0 { // the rows after the seed's are new
		return 0, fmt.Errorf("resume: %d rows reported as duplicates of the seed's table", n)
	}
	ts := j.em.Server.Admitted(ciam.ActionCreateUser)
	if len(ts) <= before {
		return 0, fmt.Errorf("resume: no request reached the emulator")
	}
	return ts[before].Sub(p.start), nil
}

// copyDir copies the regular files of src into dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o700); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o600)
	})
}

// openFromStart opens the input file at path for reading from its first row.
func openFromStart(path string) (source.Reader, error) {
	in, err := source.NewFile(path, source.Options{})
	if err != nil {
		return nil, err
	}
	return in.Open("")
}
