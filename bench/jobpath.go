package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// Figure 9: the import-job path. The same generated rows (their password
// column is a bcrypt hash) go through CreateApiImportUserJob, and, for the
// comparison, through CreateUser at the 20/s quota.
const (
	jobRows            = 4000
	jobCompareRows     = 400
	jobUsersPerSecond  = 500 // the emulator's job speed: the reference gives none
	jobPathMappingHead = "  PasswordHash: { from: password, algorithm: bcrypt }\n"
)

type jobPathResult struct {
	job, create proc
	jobCreated  int64
	createDone  int64
}

func (r jobPathResult) jobRate() float64    { return float64(r.jobCreated) / r.job.wall.Seconds() }
func (r jobPathResult) createRate() float64 { return float64(r.createDone) / r.create.wall.Seconds() }

// jobPath imports jobRows rows through the import job and jobCompareRows
// through CreateUser, each into a fresh emulator at a 20/s quota.
func jobPath(ctx context.Context, c *config, mappingPath string, res *results) error {
	base, err := os.ReadFile(mappingPath)
	if err != nil {
		return err
	}
	hashed := filepath.Join(c.workDir, "mapping-hashed.yaml")
	m := strings.Replace(string(base), "  Password: { from: password }\n", jobPathMappingHead, 1)
	if err := os.WriteFile(hashed, []byte(m), 0o600); err != nil {
		return err
	}
	r := &jobPathResult{}
	if r.job, r.jobCreated, err = jobPathRun(ctx, c, hashed, jobRows); err != nil {
		return err
	}
	if r.create, r.createDone, err = jobPathRun(ctx, c, mappingPath, jobCompareRows); err != nil {
		return err
	}
	res.jobPath = r
	logf("  job path: %.0f rows/s through the import job vs %.1f/s through CreateUser", r.jobRate(), r.createRate())
	return nil
}

func jobPathRun(ctx context.Context, c *config, mappingPath string, n int) (proc, int64, error) {
	in, err := input(c.dataDir, "csv", n)
	if err != nil {
		return proc{}, 0, err
	}
	em, err := startEmulator(quota, emulator.FaultSpec{}, 1, func(cfg *emulator.Config) {
		cfg.Import.UsersPerSecond = jobUsersPerSecond
	})
	if err != nil {
		return proc{}, 0, err
	}
	defer em.Close()
	dir, err := freshDir(c.workDir, "job-state-")
	if err != nil {
		return proc{}, 0, err
	}
	p, sum, err := job{input: in, mapping: mappingPath, stateDir: dir, em: em, rate: quota}.run(ctx, c.bin)
	if err != nil {
		return proc{}, 0, err
	}
	return p, sum.Counts.Of(outcome.Created), nil
}

func jobPathRows(c *config, r *results) []row {
	j := r.jobPath
	if j == nil {
		return nil
	}
	hours := func(perSecond float64) string { return fmt.Sprintf("%.1f h", 1e6/perSecond/3600) }
	return []row{
		{id: "9a", figure: "import job: rows created/s", value: fmt.Sprintf("%.0f/s", j.jobRate()),
			against: fmt.Sprintf("%d rows (bcrypt hashes) in %.1f s, emulator job speed %d users/s (the reference gives none), batches of 200, 2 jobs at a time, every row confirmed by a lookup; 10^6 rows: %s",
				j.jobCreated, j.job.wall.Seconds(), jobUsersPerSecond, hours(j.jobRate()))},
		{id: "9b", figure: "import job ÷ CreateUser, same rows", value: fmt.Sprintf("%.1f×", j.jobRate()/j.createRate()),
			against: fmt.Sprintf("CreateUser at the 20/s quota: %d rows in %.1f s = %.1f/s (10^6 rows: %s)",
				j.createDone, j.create.wall.Seconds(), j.createRate(), hours(j.createRate()))},
	}
}
