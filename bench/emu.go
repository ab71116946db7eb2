package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer"
)

// quota is the CIAM CreateUser quota the issue targets.
const quota = 20

// realistic is the emulator's behaviour for the quota figures: log-normal
// latency with a median of 150 ms and a 99th percentile of 1.2 s (about
// 1.5 % of calls take over a second), and 3 % of admitted calls answered
// InternalError (retryable; nothing is done).
var realistic = emulator.FaultSpec{
	LatencyMedian: 150 * time.Millisecond,
	LatencyP99:    1200 * time.Millisecond,
	ErrorRate:     0.03,
	ErrorCodes:    []string{emulator.CodeInternalError},
}

// startEmulator serves the demo tenant with the given quota (<= 0:
// unlimited) and faults, on 127.0.0.1; opts adjust the rest.
func startEmulator(rate float64, faults emulator.FaultSpec, seed int64, opts ...func(*emulator.Config)) (*emulator.Running, error) {
	cfg := emulator.DemoConfig()
	cfg.Rate, cfg.Seed = rate, seed
	cfg.Faults = emulator.Faults{CreateUser: faults, Lookups: emulator.FaultSpec{
		LatencyMedian: faults.LatencyMedian, LatencyP99: faults.LatencyP99}}
	for _, o := range opts {
		o(&cfg)
	}
	return emulator.Start(cfg)
}

// job is one `ciam-import run` against an emulator.
type job struct {
	input, mapping, stateDir string
	em                       *emulator.Running
	rate                     float64 // --rate; 0 unlimited
	workers                  int     // --workers; 0: the binary's default
	extra                    []string
}

// okExits are the exit codes of a run that did its work: done, partial,
// retryable rows left, stopped at --max-rows or --max-duration.
var okExits = []int{3, 4, 7} // README: exit codes

func (j job) run(ctx context.Context, bin string) (proc, *importer.Summary, error) {
	args := []string{"run", "--input", j.input, "--mapping", j.mapping, "--state-dir", j.stateDir,
		"--user-store-id", emulator.DemoUserStore, "--endpoint", j.em.URL,
		"--rate", strconv.FormatFloat(j.rate, 'f', -1, 64), "--progress", "never", "--log-format", "json"}
	if j.workers > 0 {
		args = append(args, "--workers", strconv.Itoa(j.workers))
	}
	p, err := runBin(ctx, bin, append(args, j.extra...), okExits...)
	if err != nil {
		return p, nil, err
	}
	sum, err := readSummary(j.stateDir)
	return p, sum, err
}

func readSummary(dir string) (*importer.Summary, error) {
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil, err
	}
	var s importer.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("read summary: %w", err)
	}
	return &s, nil
}

// freshDir makes an empty directory under parent.
func freshDir(parent, pattern string) (string, error) {
	return os.MkdirTemp(parent, pattern)
}
