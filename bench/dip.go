package main

import (
	"context"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// recoveredShare is how full a one-second window must be again after a
// quota dip for figure 8b.
const recoveredShare = 0.95

// dipResult is figure 8: our run while the quota halves for a while.
type dipResult struct {
	q         quotaResult
	dip       emulator.QuotaDip
	during    float64       // our admissions per second in the dip, its first 2 s left out
	recovered time.Duration // end of the dip to the first one-second window at recoveredShare of the quota; -1: never
}

// dipRun is figure 8: our run at --rate 20 while the emulator's quota drops
// to c.dip.Factor for c.dip.For, c.dip.After after it started.
func dipRun(ctx context.Context, c *config, mappingPath string) (*dipResult, error) {
	input, err := input(c.dataDir, "csv", c.dipRows)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	answers := &answerLog{}
	em, err := startEmulator(quota, realistic, 11, answers.recordAnswers, func(cfg *emulator.Config) { cfg.QuotaDip = c.dip })
	if err != nil {
		return nil, err
	}
	defer em.Close()
	dir, err := freshDir(c.workDir, "dip-state-")
	if err != nil {
		return nil, err
	}
	logf("quota dip: %d rows; the quota drops to %.0f %% %s after the start, for %s", c.dipRows, 100*c.dip.Factor, c.dip.After, c.dip.For)
	p, sum, err := job{input: input, mapping: mappingPath, stateDir: dir, em: em, rate: quota, workers: c.workers}.run(ctx, c.bin)
	if err != nil {
		return nil, err
	}
	if err := writeTrace(c, "dip", p, em.Server); err != nil {
		return nil, err
	}
	if err := writeTimes(c, "dip.refused", p.start, answers.refusals()); err != nil {
		return nil, err
	}
	q := measureQuota(p, em.Server, sum.Counts.Of(outcome.Created), 0, 0)
	q.read = sum.Counts.Read()
	ts := em.Server.Admitted(ciam.ActionCreateUser)
	from := started.Add(c.dip.After) // the emulator's clock starts the dip a little later: a conservative reading
	to := from.Add(c.dip.For)
	d := &dipResult{q: q, dip: c.dip, recovered: recoveredAfter(ts, to, recoveredShare*quota)}
	if skip := from.Add(2 * time.Second); to.After(skip) {
		d.during = float64(countBetween(ts, skip, to)) / to.Sub(skip).Seconds()
	}
	return d, nil
}

// recoveredAfter returns how long after end the first half-open
// one-second window starting at an admission holds at least need
// admissions; -1 if none does.
func recoveredAfter(ts []time.Time, end time.Time, need float64) time.Duration {
	for i, t := range ts {
		if t.Before(end) {
			continue
		}
		if float64(countBetween(ts[i:], t, t.Add(time.Second))) >= need {
			return t.Sub(end)
		}
	}
	return -1
}

// countBetween counts the sorted times in [from, to).
func countBetween(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range ts {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}
