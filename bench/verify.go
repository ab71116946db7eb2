package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// Figure 12: verify of c.validateRows rows (the input of figure 5) through
// the export job, next to validate over the same file. Importing a million
// users at the quota is out of the budget, so the emulator is filled by a
// shortcut: the bench maps every row as the importer does and sends it in
// import jobs of verifyFillBatch users, with the emulator's import limits
// lifted. Every row must then verify "same": a fill that differs from what
// the importer sends would show as "different".
const verifyFillBatch = 10_000

// verifyResult is figure 12.
type verifyResult struct {
	rows     int
	fill     time.Duration
	runs     []proc
	validate []validateResult
	requests int64 // requests of the fastest-median verify run (all runs send the same)
	same     int64
	other    int64 // different + missing + extra + invalid, should be 0
}

func verifyAll(ctx context.Context, c *config, mappingPath string, res *results) error {
	r, err := verifyFigures(ctx, c, mappingPath)
	res.verify = r
	return err
}

func verifyFigures(ctx context.Context, c *config, mappingPath string) (*verifyResult, error) {
	big, err := input(c.dataDir, "csv", c.validateRows)
	if err != nil {
		return nil, err
	}
	spec, err := mapping.ParseFile(mappingPath)
	if err != nil {
		return nil, err
	}
	em, err := startEmulator(0, emulator.FaultSpec{}, 12, func(cfg *emulator.Config) { cfg.Import = emulator.ImportConfig{} })
	if err != nil {
		return nil, err
	}
	defer em.Close()
	r := &verifyResult{rows: c.validateRows}
	start := time.Now()
	if err := fillStore(ctx, em, big, spec); err != nil {
		return nil, err
	}
	r.fill = time.Since(start)
	logf("verify: the emulator holds %d users, filled in %s", c.validateRows, r.fill.Round(time.Millisecond))
	for i := 0; i < c.runs; i++ {
		v, err := validateRun(ctx, c, big, mappingPath)
		if err != nil {
			return nil, err
		}
		r.validate = append(r.validate, v)
		if err := verifyRun(ctx, c, em, big, mappingPath, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// verifyRun runs `ciam-import verify` once through the export job.
func verifyRun(ctx context.Context, c *config, em *emulator.Running, path, mappingPath string, r *verifyResult) error {
	dir, err := freshDir(c.workDir, "verify-")
	if err != nil {
		return err
	}
	before := em.Server.Stats().Requests
	args := []string{"verify", "--input", path, "--mapping", mappingPath, "--user-store-id", emulator.DemoUserStore,
		"--endpoint", em.URL, "--report-dir", dir, "--json"}
	p, err := runBin(ctx, c.bin, args, 3)
	if err != nil {
		return err
	}
	var sum struct {
		Same, Different, Missing, Extra, Invalid int64
		Via                                      string
	}
	if err := json.Unmarshal(p.stdout, &sum); err != nil {
		return fmt.Errorf("verify --json: %w", err)
	}
	if sum.Via != "export" {
		return fmt.Errorf("verify read the store by %s, not through the export", sum.Via)
	}
	r.runs = append(r.runs, p)
	r.requests = em.Server.Stats().Requests - before
	r.same, r.other = sum.Same, sum.Different+sum.Missing+sum.Extra+sum.Invalid
	logf("  verify: %.1f s, %d requests, %d same, %d not", p.wall.Seconds(), r.requests, r.same, r.other)
	return nil
}

// fillStore imports every row of path, mapped, into the emulator's demo
// store through import jobs (no password: verify never compares one).
func fillStore(ctx context.Context, em *emulator.Running, path string, spec *mapping.Spec) error {
	api, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		return err
	}
	var batch []ciam.ImportUser
	err = eachMapped(path, spec, 0, func(_ int, u *mapping.User) error {
		if batch = append(batch, importUser(u)); len(batch) == verifyFillBatch {
			err := importBatch(ctx, api, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = importBatch(ctx, api, batch)
	}
	return err
}

// importUser is the ImportUser of a mapped row, without its password.
func importUser(u *mapping.User) ciam.ImportUser {
	iu := ciam.ImportUser{UserName: u.UserName, PhoneNumber: u.PhoneNumber, Email: u.Email, Nickname: u.Nickname,
		Address: u.Address, UserGroup: u.UserGroup, IndexedAttribute1: u.IndexedAttributes[0], IndexedAttribute2: u.IndexedAttributes[1],
		IndexedAttribute3: u.IndexedAttributes[2], IndexedAttribute4: u.IndexedAttributes[3], IndexedAttribute5: u.IndexedAttributes[4]}
	if u.Birthdate != nil {
		iu.Birthdate = strconv.FormatInt(*u.Birthdate, 10)
	}
	for _, a := range u.CustomizationAttributes {
		iu.CustomizationAttributes = append(iu.CustomizationAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	return iu
}

// importBatch sends one import job and waits for it; a user it failed is
// an error.
func importBatch(ctx context.Context, api *ciam.Client, users []ciam.ImportUser) error {
	resp, err := api.CreateApiImportUserJob(ctx, &ciam.CreateApiImportUserJobRequest{UserStoreId: emulator.DemoUserStore, DataFlowUserCreateList: users})
	if err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	for {
		list, err := api.ListJobs(ctx, &ciam.ListJobsRequest{UserStoreId: emulator.DemoUserStore, JobIds: []string{resp.Job.Id}})
		if err != nil || len(list.JobSet) != 1 {
			return fmt.Errorf("fill: list job %s: %v", resp.Job.Id, err)
		}
		if j := list.JobSet[0]; j.Finished() {
			if j.Status != ciam.JobCompleted || len(j.FailedUsers) > 0 {
				return fmt.Errorf("fill: job %s %s, %d users failed (first: %+v)", j.Id, j.Status, len(j.FailedUsers), j.FailedUsers)
			}
			return nil
		}
		time.Sleep(20 * time.Millisecond) // poll interval of the fill, not a wait for a result
	}
}

func verifyRows(r *results) []row {
	v := r.verify
	if v == nil || len(v.runs) == 0 {
		return nil
	}
	wall := medianOf(v.runs, func(p proc) float64 { return p.wall.Seconds() })
	cpu := medianOf(v.runs, func(p proc) float64 { return p.cpu.Seconds() })
	floor := medianOf(v.validate, func(x validateResult) float64 { return x.p.wall.Seconds() })
	rss := medianOf(v.runs, func(p proc) float64 { return mib(p.maxRSS) })
	return []row{
		{id: "12a", figure: "verify through the export job: wall time", value: fmt.Sprintf("%.1f s", wall), target: "≤ 3× validate",
			ok: check(wall <= 3*floor && v.other == 0 && v.same == int64(v.rows)),
			against: fmt.Sprintf("%s rows, every one `same` (%d not); validate over the same file in the same bench run: %.1f s, so ×%.2f; %.1f CPU s; %s",
				thousands(float64(v.rows)), v.other, floor, wall/floor, cpu, runsNote(v.runs, func(p proc) string { return fmt.Sprintf("%.1f s", p.wall.Seconds()) }))},
		{id: "12b", figure: "verify through the export job: requests", value: fmt.Sprintf("%d", v.requests), target: "a handful",
			ok:      check(v.requests <= 20),
			against: fmt.Sprintf("CreateFileExportUserJob, ListJobs 200 ms after, then doubling up to the default --job-poll 10s, one download; the emulator filled by %d-user import jobs in %.1f s", verifyFillBatch, v.fill.Seconds())},
		{id: "12c", figure: "verify through the export job: peak RSS", value: fmt.Sprintf("%.1f MiB", rss),
			against: fmt.Sprintf("validate: %.1f MiB", medianOf(v.validate, func(x validateResult) float64 { return mib(x.p.maxRSS) }))},
	}
}
