package main

import (
	"context"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// headroomResult is one run with the quota lifted and --rate 0.
type headroomResult struct {
	p        proc
	created  int64
	emuCPU   time.Duration // CPU of this process (the emulator) meanwhile
	perSec   float64       // created / process wall time
	cpuPer1k float64       // importer CPU seconds per 1,000 rows
}

// headroomRun imports rows into an unlimited emulator with no latency and
// no faults: what the importer itself can do on this machine, with the
// emulator sharing its two cores.
func headroomRun(ctx context.Context, c *config, input, mappingPath string, extra ...string) (headroomResult, error) {
	em, err := startEmulator(0, emulator.FaultSpec{}, 1)
	if err != nil {
		return headroomResult{}, err
	}
	defer em.Close()
	dir, err := freshDir(c.workDir, "headroom-state-")
	if err != nil {
		return headroomResult{}, err
	}
	cpu0 := selfCPU()
	p, sum, err := job{input: input, mapping: mappingPath, stateDir: dir, em: em, extra: extra}.run(ctx, c.bin)
	if err != nil {
		return headroomResult{}, err
	}
	h := headroomResult{p: p, created: sum.Counts.Of(outcome.Created), emuCPU: selfCPU() - cpu0}
	h.perSec = float64(h.created) / p.wall.Seconds()
	h.cpuPer1k = p.cpuPer1000(sum.Counts.Read())
	return h, nil
}

func headroomFigures(ctx context.Context, c *config, mappingPath string) ([]headroomResult, error) {
	input, err := input(c.dataDir, "csv", c.headroomRows)
	if err != nil {
		return nil, err
	}
	var out []headroomResult
	for i := range c.runs {
		logf("headroom run %d/%d: %d rows, quota lifted, --rate 0", i+1, c.runs, c.headroomRows)
		h, err := headroomRun(ctx, c, input, mappingPath)
		if err != nil {
			return nil, err
		}
		logf("  %.0f creates/s, %.3f CPU s per 1,000 rows", h.perSec, h.cpuPer1k)
		out = append(out, h)
	}
	return out, nil
}
