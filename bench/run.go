package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"
)

// results holds every measurement of one bench run; nil or empty parts were
// not run (-only).
type results struct {
	started   time.Time
	quota     []quotaResult
	baseline  *baselineResult
	headroom  []headroomResult
	shared    *quotaResult
	other     *otherClient
	dip       *dipResult
	validate  map[string][]validateResult
	reference map[string][]float64
	inner     []inner
	memVal    []memResult
	memRun    []memResult
	resume    *resumeResult
	jobPath   *jobPathResult
	sync      *syncResult
	verify    *verifyResult
	db        []dbResult
	dedup     *dedupResult
	stalls    []stall
}

var logger = log.New(os.Stderr, "bench: ", log.Ltime)

func logf(format string, args ...any) { logger.Printf(format, args...) }

// run is the bench, or the launcher of one measured process when args
// start with launchFlag.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == launchFlag {
		return launch(args[1:])
	}
	c, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	res, err := measure(ctx, c)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	printTable(stdout, c, res)
	return 0
}

func measure(ctx context.Context, c *config) (*results, error) {
	if _, err := os.Stat(c.bin); err != nil {
		return nil, fmt.Errorf("%w (run `make build` first, or pass -bin)", err)
	}
	if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
		return nil, err
	}
	mappingPath, err := writeMapping(c.dataDir)
	if err != nil {
		return nil, err
	}
	if c.workDir, err = os.MkdirTemp(c.dataDir, "run-"); err != nil {
		return nil, err
	}
	if !c.keep {
		defer os.RemoveAll(c.workDir)
	}
	res := &results{started: time.Now()}
	steps := []struct {
		name string
		fn   func(context.Context, *config, string, *results) error
	}{
		{"quota", rateBound}, // quota, baseline, shared quota and dip: latency-bound, run first
		{"headroom", cpuHeadroom},
		{"validate", validateAll},
		{"memory", memoryAll},
		{"resume", resumeAll},
		{"jobs", jobPath},
		{"sync", syncAll},
		{"verify", verifyAll},
		{"db", dbAll},
		{"dedup", dedupAll},
	}
	for _, s := range steps {
		if c.want(s.name) || (s.name == "quota" && (c.want("shared") || c.want("dip"))) { // they run with quota
			st, err := measureStall(s.name, func() error { return s.fn(ctx, c, mappingPath, res) })
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.name, err)
			}
			res.stalls = append(res.stalls, st)
		}
	}
	if c.profileDir != "" {
		if err := writeProfiles(ctx, c, mappingPath); err != nil {
			return nil, err
		}
	}
	logf("done in %s", time.Since(res.started).Round(time.Second))
	return res, nil
}

// rateBound runs figures 1, 2, 4 and 8, one run at a time.
func rateBound(ctx context.Context, c *config, mappingPath string, res *results) error {
	if c.want("quota") {
		q, b, err := quotaFigures(ctx, c, mappingPath)
		if err != nil {
			return err
		}
		res.quota, res.baseline = q, b
	}
	if c.want("shared") {
		s, other, err := sharedRun(ctx, c, mappingPath)
		if err != nil {
			return err
		}
		res.shared, res.other = &s, other
		logf("  shared: %.2f creates/s, %d refused of %d", s.perSecond(), s.refused, s.requests)
	}
	if c.want("dip") {
		d, err := dipRun(ctx, c, mappingPath)
		if err != nil {
			return err
		}
		res.dip = d
		logf("  dip: %.2f creates/s, %d refused of %d, %.1f/s in the dip, back at %.0f %% %.1f s after it",
			d.q.perSecond(), d.q.refused, d.q.requests, d.during, 100*recoveredShare, d.recovered.Seconds())
	}
	return nil
}

func cpuHeadroom(ctx context.Context, c *config, mappingPath string, res *results) (err error) {
	res.headroom, err = headroomFigures(ctx, c, mappingPath)
	return err
}

func validateAll(ctx context.Context, c *config, mappingPath string, res *results) (err error) {
	res.validate, res.reference, err = validateFigures(ctx, c, mappingPath)
	if err != nil {
		return err
	}
	res.inner, err = innerBenchmarks(mappingPath)
	return err
}

func memoryAll(ctx context.Context, c *config, mappingPath string, res *results) (err error) {
	small := memResult{rows: c.validateRows}
	if v := res.validate["csv"]; len(v) > 0 {
		small.read, small.maxRSS, small.p = v[0].rows, maxRSS(v), v[0].p
	} else {
		path, err := input(c.dataDir, "csv", c.validateRows)
		if err != nil {
			return err
		}
		v, err := validateRun(ctx, c, path, mappingPath)
		if err != nil {
			return err
		}
		small.read, small.maxRSS, small.p = v.rows, v.p.maxRSS, v.p
	}
	res.memVal, res.memRun, err = memoryFigures(ctx, c, mappingPath, small)
	return err
}

func maxRSS(v []validateResult) int64 {
	var m int64
	for _, r := range v {
		m = max(m, r.p.maxRSS)
	}
	return m
}

func resumeAll(ctx context.Context, c *config, mappingPath string, res *results) error {
	r, err := resumeFigures(ctx, c, mappingPath)
	res.resume = &r
	return err
}
