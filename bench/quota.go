package main

import (
	"context"
	"fmt"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// quotaResult is one run of ours against a 20/s quota.
type quotaResult struct {
	p                 proc
	read, created     int64
	requests, refused int64   // every request the emulator saw from us, and those refused for rate
	admitted          int     // CreateUser admissions (every client)
	steady            float64 // admitted CreateUser per second, first to last admission
	maxWindow         int     // most CreateUser admissions in any one-second window
	injected          int64
	lastLatency       time.Duration // the injected latency of the last answer
}

func (q quotaResult) perSecond() float64 { return float64(q.created) / q.p.wall.Seconds() }

func (q quotaResult) refusedShare() float64 { return share(q.refused, q.requests) }

// lost is the rows the run did not create.
func (q quotaResult) lost() int64 { return q.read - q.created }

// floor is the shortest wall time the admitted requests allow: all of them
// back to back at the quota, then the last answer's latency.
func (q quotaResult) floor() time.Duration {
	return time.Duration(float64(q.admitted)/quota*float64(time.Second)) + q.lastLatency
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// quotaRun imports input at the default --rate 20 into a fresh emulator
// with a 20/s quota and realistic latency and errors.
func quotaRun(ctx context.Context, c *config, input, mappingPath string, seed int64) (quotaResult, error) {
	answers := &answerLog{}
	em, err := startEmulator(quota, realistic, seed, answers.recordAnswers)
	if err != nil {
		return quotaResult{}, err
	}
	defer em.Close()
	dir, err := freshDir(c.workDir, "quota-state-")
	if err != nil {
		return quotaResult{}, err
	}
	p, sum, err := job{input: input, mapping: mappingPath, stateDir: dir, em: em, rate: quota, workers: c.workers}.run(ctx, c.bin)
	if err != nil {
		return quotaResult{}, err
	}
	if err := writeTrace(c, fmt.Sprintf("quota-%d", seed), p, em.Server); err != nil {
		return quotaResult{}, err
	}
	if err := writeTimes(c, fmt.Sprintf("quota-%d.refused", seed), p.start, answers.refusals()); err != nil {
		return quotaResult{}, err
	}
	q := measureQuota(p, em.Server, sum.Counts.Of(outcome.Created), 0, 0)
	q.read, q.lastLatency = sum.Counts.Read(), answers.lastLatency()
	return q, nil
}

// measureQuota reads the emulator's view of a run that created created
// users; otherReq and otherRefused are another client's requests,
// subtracted. steady and maxWindow count every client's admissions.
func measureQuota(p proc, srv *emulator.Server, created, otherReq, otherRefused int64) quotaResult {
	st := srv.Stats()
	ts := srv.Admitted(ciam.ActionCreateUser)
	q := quotaResult{p: p, created: created, requests: st.Requests - otherReq,
		refused: st.RateLimited - otherRefused, injected: st.InjectedErrors, admitted: len(ts),
		maxWindow: emulator.MaxPerWindow(ts, time.Second)}
	if n := len(ts); n > 1 {
		q.steady = float64(n-1) / ts[n-1].Sub(ts[0]).Seconds()
	}
	return q
}

// quotaFigures runs figures 1 and 2: ours quotaRuns times, then the naive
// SDK loop once on the same input and the same emulator settings. They run
// one after the other, so neither adds CPU contention to the other.
func quotaFigures(ctx context.Context, c *config, mappingPath string) ([]quotaResult, *baselineResult, error) {
	input, err := input(c.dataDir, "csv", c.quotaRows)
	if err != nil {
		return nil, nil, err
	}
	var out []quotaResult
	for i := range c.quotaRuns {
		logf("quota run %d/%d: %d rows at %d/s", i+1, c.quotaRuns, c.quotaRows, quota)
		q, err := quotaRun(ctx, c, input, mappingPath, int64(100+i))
		if err != nil {
			return nil, nil, err
		}
		logf("  %.2f creates/s, %.2f admitted/s, %d refused of %d, wall %.2f s vs floor %.2f s",
			q.perSecond(), q.steady, q.refused, q.requests, q.p.wall.Seconds(), q.floor().Seconds())
		out = append(out, q)
	}
	b := baselineRun(ctx, c, input, mappingPath)
	return out, &b.res, b.err
}

type baselineOutcome struct {
	res baselineResult
	err error
}

func baselineRun(ctx context.Context, c *config, input, mappingPath string) baselineOutcome {
	em, err := startEmulator(quota, realistic, 100)
	if err != nil {
		return baselineOutcome{err: err}
	}
	defer em.Close()
	logf("baseline: %d goroutines of SDK calls over the same rows", baselineWorkers)
	res, err := runBaseline(ctx, input, mappingPath, em)
	if err != nil {
		err = fmt.Errorf("baseline: %w", err)
	}
	if err := writeTimes(c, "baseline.admitted", res.start, em.Server.Admitted(ciam.ActionCreateUser)); err != nil {
		return baselineOutcome{res: res, err: err}
	}
	logf("baseline done: %d created, %d failed in %s", res.created, res.failed, res.wall.Round(time.Millisecond))
	return baselineOutcome{res: res, err: err}
}
