package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// quotaResult is one run of ours against a 20/s quota.
type quotaResult struct {
	p                 proc
	created           int64
	requests, refused int64   // every request the emulator saw from us, and those refused for rate
	steady            float64 // admitted CreateUser per second, first to last admission
	maxWindow         int     // most CreateUser admissions in any one-second window
	injected          int64
}

func (q quotaResult) perSecond() float64 { return float64(q.created) / q.p.wall.Seconds() }

func (q quotaResult) refusedShare() float64 { return share(q.refused, q.requests) }

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// quotaRun imports input at the default --rate 20 into a fresh emulator
// with a 20/s quota and realistic latency and errors.
func quotaRun(ctx context.Context, c *config, input, mappingPath string, seed int64) (quotaResult, error) {
	em, err := startEmulator(quota, realistic, seed)
	if err != nil {
		return quotaResult{}, err
	}
	defer em.Close()
	dir, err := freshDir(c.workDir, "quota-state-")
	if err != nil {
		return quotaResult{}, err
	}
	p, sum, err := job{input: input, mapping: mappingPath, stateDir: dir, em: em, rate: quota}.run(ctx, c.bin)
	if err != nil {
		return quotaResult{}, err
	}
	if err := writeTrace(c, fmt.Sprintf("quota-%d", seed), p, em.Server); err != nil {
		return quotaResult{}, err
	}
	return measureQuota(p, em.Server, sum.Counts.Created, 0, 0), nil
}

// measureQuota reads the emulator's view of a run that created created
// users; otherReq and otherRefused are another client's requests,
// subtracted. steady and maxWindow count every client's admissions.
func measureQuota(p proc, srv *emulator.Server, created, otherReq, otherRefused int64) quotaResult {
	st := srv.Stats()
	ts := srv.Admitted(ciam.ActionCreateUser)
	q := quotaResult{p: p, created: created, requests: st.Requests - otherReq,
		refused: st.RateLimited - otherRefused, injected: st.InjectedErrors,
		maxWindow: emulator.MaxPerWindow(ts, time.Second)}
	if n := len(ts); n > 1 {
		q.steady = float64(n-1) / ts[n-1].Sub(ts[0]).Seconds()
	}
	return q
}

// quotaFigures runs figures 1 and 2: ours quotaRuns times, the baseline once
// on the same input, concurrently on its own emulator (both are bound by
// latency and quota, not by CPU: neither uses a tenth of a core).
func quotaFigures(ctx context.Context, c *config, mappingPath string, base chan<- baselineOutcome) ([]quotaResult, error) {
	input, err := input(c.dataDir, "csv", c.quotaRows)
	if err != nil {
		return nil, err
	}
	go func() { base <- baselineRun(ctx, input, mappingPath) }()
	var out []quotaResult
	for i := range c.quotaRuns {
		logf("quota run %d/%d: %d rows at %d/s", i+1, c.quotaRuns, c.quotaRows, quota)
		q, err := quotaRun(ctx, c, input, mappingPath, int64(100+i))
		if err != nil {
			return nil, err
		}
		logf("  %.2f creates/s, %d refused of %d", q.perSecond(), q.refused, q.requests)
		out = append(out, q)
	}
	return out, nil
}

type baselineOutcome struct {
	res baselineResult
	err error
}

func baselineRun(ctx context.Context, input, mappingPath string) baselineOutcome {
	em, err := startEmulator(quota, realistic, 100)
	if err != nil {
		return baselineOutcome{err: err}
	}
	defer em.Close()
	logf("baseline: sequential SDK loop over the same rows (in the background)")
	res, err := runBaseline(ctx, input, mappingPath, em)
	if err != nil {
		err = fmt.Errorf("baseline: %w", err)
	}
	logf("baseline done: %d created, %d failed in %s", res.created, res.failed, res.wall.Round(time.Millisecond))
	return baselineOutcome{res: res, err: err}
}
