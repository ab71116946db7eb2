package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// config is the parsed command line. Row counts default to what fits the
// 15-minute budget of `make bench` on 2 cores; -quick shrinks them to a
// smoke run of a minute or two.
type config struct {
	quick   bool
	bin     string // the ciam-import binary
	dataDir string // generated inputs, kept between runs
	workDir string // state and report directories of this run, under dataDir
	keep    bool   // keep workDir
	only    map[string]bool

	quotaRows    int // figures 1, 2: rows at the 20/s quota
	quotaRuns    int
	sharedRows   int // figure 4
	dipRows      int // figure 8
	dip          emulator.QuotaDip
	workers      int    // --workers of our quota runs; 0: the binary's default
	headroomRows int    // figure 3
	validateRows int    // figure 5 and the smaller size of figure 6
	bigRows      int    // the larger size of figure 6
	resumeRows   int    // figure 7
	dedupOldRev  string // figure 13: the commit whose binary has the in-memory duplicate table
	dedupBig     bool   // figure 13 also at bigRows
	dedupBigRuns int    // pairs at bigRows
	runs         int    // repetitions of the cheap figures (medians)
	runCap       time.Duration
	profileDir   string
	traceDir     string
}

func parseConfig(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.quick, "quick", false, "smoke version: small row counts, one run each (1-2 minutes)")
	fs.StringVar(&c.bin, "bin", "bin/ciam-import", "the ciam-import binary to measure")
	fs.StringVar(&c.dataDir, "data", filepath.Join(os.TempDir(), "ciam-import-bench"), "directory for generated inputs (reused)")
	only := fs.String("only", "", "comma-separated figures to run (quota,shared,dip,headroom,validate,memory,resume,jobs,sync,verify,db,dedup); default all")
	fs.IntVar(&c.quotaRows, "quota-rows", 1000, "rows per quota run (figures 1-2; the baseline sends the same rows)")
	fs.IntVar(&c.quotaRuns, "quota-runs", 3, "quota runs (median)")
	fs.IntVar(&c.sharedRows, "shared-rows", 600, "rows of the shared-quota run (figure 4)")
	fs.IntVar(&c.dipRows, "dip-rows", 1000, "rows of the quota-dip run (figure 8)")
	c.dip = emulator.QuotaDip{After: 15 * time.Second, For: 30 * time.Second, Factor: 0.5}
	fs.Var(&c.dip, "dip", "the quota dip of figure 8, from the emulator's start")
	fs.IntVar(&c.workers, "workers", 0, "--workers of our runs in figures 1, 4 and 8 (0: ciam-import's default)")
	fs.IntVar(&c.headroomRows, "headroom-rows", 30000, "rows per headroom run (figure 3)")
	fs.IntVar(&c.validateRows, "validate-rows", 1_000_000, "rows of the validate input (figures 5-6)")
	fs.IntVar(&c.bigRows, "big-rows", 10_000_000, "rows of the large input (figure 6)")
	fs.IntVar(&c.resumeRows, "resume-rows", 1_000_000, "rows of the resumed input (figure 7)")
	fs.StringVar(&c.dedupOldRev, "dedup-old", "00c9e22", "figure 13: the git commit (before the durable duplicate table) whose validate is the reference")
	fs.BoolVar(&c.dedupBig, "dedup-big", false, "figure 13 also over -big-rows rows (10^7: a 1.8 GB input, ~1 minute a pair of runs on 2 cores)")
	fs.IntVar(&c.dedupBigRuns, "dedup-big-runs", 3, "pairs of runs over -big-rows with -dedup-big (median of their ratios)")
	fs.IntVar(&c.runs, "runs", 3, "repetitions of the cheap figures (median)")
	fs.DurationVar(&c.runCap, "run-cap", 20*time.Second, "time cap (--max-duration) of the run RSS measurements (figure 6)")
	fs.StringVar(&c.profileDir, "profile", "", "also write CPU and heap profiles of validate and run, in this process, here (run talks to the ciam-emulator binary beside -bin)")
	fs.BoolVar(&c.keep, "keep", false, "keep the state directories of the runs (under -data)")
	fs.StringVar(&c.traceDir, "trace", "", "write the CreateUser admission times and the importer's log of the quota runs here")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, errors.New("bench: unexpected arguments: " + strings.Join(fs.Args(), " "))
	}
	if c.quick {
		c.applyQuick(setFlags(fs))
	}
	c.only = map[string]bool{}
	for _, f := range strings.Split(*only, ",") {
		if f = strings.TrimSpace(f); f != "" {
			c.only[f] = true
		}
	}
	return c, nil
}

// applyQuick shrinks every count not given on the command line.
func (c *config) applyQuick(set map[string]bool) {
	quick := map[string]func(){
		"quota-rows":     func() { c.quotaRows = 200 },
		"quota-runs":     func() { c.quotaRuns = 1 },
		"shared-rows":    func() { c.sharedRows = 150 },
		"dip-rows":       func() { c.dipRows = 400 },
		"dip":            func() { c.dip = emulator.QuotaDip{After: 5 * time.Second, For: 10 * time.Second, Factor: 0.5} },
		"headroom-rows":  func() { c.headroomRows = 5000 },
		"validate-rows":  func() { c.validateRows = 100_000 },
		"big-rows":       func() { c.bigRows = 1_000_000 },
		"resume-rows":    func() { c.resumeRows = 100_000 },
		"runs":           func() { c.runs = 1 },
		"dedup-big-runs": func() { c.dedupBigRuns = 1 },
		"run-cap":        func() { c.runCap = 5 * time.Second },
	}
	for name, apply := range quick {
		if !set[name] {
			apply()
		}
	}
}

func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// want reports whether figure group name is to run.
func (c *config) want(name string) bool { return len(c.only) == 0 || c.only[name] }
