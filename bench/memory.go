package main

import (
	"context"
	"fmt"

	"github.com/ciam-import/ciam-import/emulator"
)

// memResult is the peak RSS of one process over one input size.
type memResult struct {
	rows   int   // rows in the input
	read   int64 // rows the process read
	maxRSS int64
	p      proc
}

// memoryFigures runs figure 6: validate and run over the smaller and the
// larger input. validateSmall is the RSS figure 5 already measured.
func memoryFigures(ctx context.Context, c *config, mappingPath string, validateSmall memResult) (val, run []memResult, err error) {
	big, err := input(c.dataDir, "csv", c.bigRows)
	if err != nil {
		return nil, nil, err
	}
	logf("validate RSS: %d rows", c.bigRows)
	v, err := validateRun(ctx, c, big, mappingPath)
	if err != nil {
		return nil, nil, err
	}
	logf("  max RSS %.1f MiB over %d rows in %s", mib(v.p.maxRSS), v.rows, v.p.wall.Round(1e6))
	val = []memResult{validateSmall, {rows: c.bigRows, read: v.rows, maxRSS: v.p.maxRSS, p: v.p}}
	for _, n := range []int{c.validateRows, c.bigRows} {
		m, err := runRSS(ctx, c, mappingPath, n)
		if err != nil {
			return nil, nil, err
		}
		run = append(run, m)
	}
	return val, run, nil
}

// runRSS runs `ciam-import run` over an n-row input for c.runCap
// (--max-duration) against an unlimited emulator, and reports its peak RSS
// and how many rows it read in that time.
func runRSS(ctx context.Context, c *config, mappingPath string, n int) (memResult, error) {
	path, err := input(c.dataDir, "csv", n)
	if err != nil {
		return memResult{}, err
	}
	em, err := startEmulator(0, emulator.FaultSpec{}, 3)
	if err != nil {
		return memResult{}, err
	}
	defer em.Close()
	dir, err := freshDir(c.workDir, "rss-state-")
	if err != nil {
		return memResult{}, err
	}
	logf("run RSS: %d-row input, --max-duration %s, quota lifted", n, c.runCap)
	p, sum, err := job{input: path, mapping: mappingPath, stateDir: dir, em: em,
		extra: []string{"--max-duration", c.runCap.String()}}.run(ctx, c.bin)
	if err != nil {
		return memResult{}, fmt.Errorf("run RSS: %w", err)
	}
	logf("  max RSS %.1f MiB after reading %d rows", mib(p.maxRSS), sum.Counts.Read())
	return memResult{rows: n, read: sum.Counts.Read(), maxRSS: p.maxRSS, p: p}, nil
}
