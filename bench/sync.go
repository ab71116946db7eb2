package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ledger"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// Figure 10: the nightly sync. Night 2 runs through the binary over an
// export of c.validateRows rows (the input of figure 5), none changed since night 1, with night 1's
// --ledger and --on-conflict update: it must send nothing.
const (
	syncSeedRows   = 1000    // rows night 1 imports through the binary
	syncFlushEvery = 100_000 // ledger keys per transaction of the shortcut
)

// syncResult is figure 10: c.runs night-2 runs, each next to a validate run
// over the same file.
type syncResult struct {
	rows     int
	ledger   int64         // bytes of the ledger file
	build    time.Duration // the shortcut that writes the rest of night 1's ledger
	nights   []proc        // night 2, c.runs times
	validate []validateResult
	skipped  int64 // rows skipped as unchanged, the fewest of any night
	requests int64 // requests the emulator received during the night-2 runs
}

// syncAll runs figure 10. Importing a million rows for night 1 is out of
// the budget, so its ledger is made by a shortcut, checked against the
// real thing: a real night 1 (the binary, --ledger, --on-conflict update)
// imports the first syncSeedRows rows, and the bench checks that the
// ledger it wrote holds, for each of them, the digests that mapping the row
// gives. It then records the other rows the same way, through
// ledger.Ledger, each with a made-up user id (night 2 sends nothing, so
// the ids are never used). Night 2 is timed next to validate over the same
// file: reading and mapping every row, the floor of any run.
func syncAll(ctx context.Context, c *config, mappingPath string, res *results) error {
	r, err := syncFigures(ctx, c, mappingPath)
	res.sync = r
	return err
}

func syncFigures(ctx context.Context, c *config, mappingPath string) (*syncResult, error) {
	big, err := input(c.dataDir, "csv", c.validateRows) // the validate input: figure 5 reads the same file
	if err != nil {
		return nil, err
	}
	spec, err := mapping.ParseFile(mappingPath)
	if err != nil {
		return nil, err
	}
	em, err := startEmulator(0, emulator.FaultSpec{}, 11)
	if err != nil {
		return nil, err
	}
	defer em.Close()
	ledger := filepath.Join(c.workDir, "sync-ledger.db")
	seed := min(syncSeedRows, c.validateRows)
	if err := syncNight1(ctx, c, em, spec, mappingPath, ledger, seed); err != nil {
		return nil, err
	}
	r := &syncResult{rows: c.validateRows}
	start := time.Now()
	if err := fillLedger(ledger, big, spec, seed); err != nil {
		return nil, err
	}
	r.build = time.Since(start)
	logf("sync: night 1's ledger: %d rows imported, %d recorded by the shortcut in %s", seed, c.validateRows-seed, r.build.Round(time.Millisecond))
	if err := syncNights(ctx, c, em, mappingPath, ledger, big, r); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(ledger); err == nil {
		r.ledger = fi.Size()
	}
	if c.profileDir != "" {
		if err := profileSync(ctx, c, em, spec, ledger, big); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func syncArgs(ledger string) []string {
	return []string{"--ledger", ledger, "--on-conflict", "update"}
}

// syncNight1 imports the first n rows through the binary, then checks that
// the ledger holds what fillLedger would have written for them.
func syncNight1(ctx context.Context, c *config, em *emulator.Running, spec *mapping.Spec, mappingPath, ledgerPath string, n int) error {
	small, err := input(c.dataDir, "csv", n) // row i depends on the seed and i only: the big file's first n rows
	if err != nil {
		return err
	}
	dir, err := freshDir(c.workDir, "sync-night1-")
	if err != nil {
		return err
	}
	_, sum, err := job{input: small, mapping: mappingPath, stateDir: dir, em: em, extra: syncArgs(ledgerPath)}.run(ctx, c.bin)
	if err != nil {
		return err
	}
	if got := sum.Counts.Of(outcome.Created); got != int64(n) {
		return fmt.Errorf("sync night 1: created %d of %d rows", got, n)
	}
	l, err := openBenchLedger(ledgerPath, spec)
	if err != nil {
		return err
	}
	defer l.Close()
	return eachMapped(small, spec, 0, func(i int, u *mapping.User) error {
		rec, ok, err := l.Get(u.Key)
		switch {
		case err != nil:
			return err
		case !ok:
			return fmt.Errorf("sync night 1: row %d (key %s) is not in the ledger", i, u.Key)
		case !bytes.Equal(rec.Digests, u.FieldDigests()):
			return fmt.Errorf("sync night 1: the ledger's digests of row %d differ from its mapping's: the shortcut would not write what the binary does", i)
		}
		return nil
	})
}

// openBenchLedger opens the ledger as the binary's runs over spec do: the
// emulator's store, the mapping's default source.
func openBenchLedger(path string, spec *mapping.Spec) (*ledger.Ledger, error) {
	return ledger.Open(path, ledger.Binding{UserStoreID: emulator.DemoUserStore,
		Source: ledger.DefaultSource(spec.KeyField(), spec.LegacyIDAttribute())})
}

// fillLedger records every row of path from row from on as night 1 would
// have: its key, a user id, the digests of its mapped fields.
func fillLedger(ledgerPath, path string, spec *mapping.Spec, from int) error {
	l, err := openBenchLedger(ledgerPath, spec)
	if err != nil {
		return err
	}
	n := 0
	err = eachMapped(path, spec, from, func(i int, u *mapping.User) error {
		l.AddDigests(u.Key, benchUserID(i), u.FieldDigests())
		if n++; n%syncFlushEvery == 0 {
			return l.Flush(time.Now())
		}
		return nil
	})
	if err == nil {
		err = l.Flush(time.Now())
	}
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	return err
}

// benchUserID is a made-up user id shaped like CIAM's (32 hex digits).
func benchUserID(i int) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[8:], uint64(i)+1)
	return hex.EncodeToString(b[:])
}

// eachMapped maps every row of the CSV at path from row from (0-based) on,
// as the importer reads and maps them, and calls fn with each.
func eachMapped(path string, spec *mapping.Spec, from int, fn func(int, *mapping.User) error) error {
	r, err := openFromStart(path)
	if err != nil {
		return err
	}
	defer r.Close()
	for i := 0; ; i++ {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if i < from {
			continue
		}
		if rec.Err != nil {
			return fmt.Errorf("row %d: %w", i, rec.Err)
		}
		u, err := spec.Map(rec.Fields)
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		if err := fn(i, u); err != nil {
			return err
		}
	}
}

// syncNights runs night 2 c.runs times, each followed by validate over the
// same file.
func syncNights(ctx context.Context, c *config, em *emulator.Running, mappingPath, ledgerPath, path string, r *syncResult) error {
	r.skipped = int64(r.rows)
	for i := range c.runs {
		if err := syncNight2(ctx, c, em, mappingPath, ledgerPath, path, r); err != nil {
			return err
		}
		v, err := validateRun(ctx, c, path, mappingPath)
		if err != nil {
			return err
		}
		r.validate = append(r.validate, v)
		n := r.nights[len(r.nights)-1]
		logf("sync %d/%d: night 2 over %d unchanged rows: %s, max RSS %.1f MiB; validate %s, max RSS %.1f MiB; %d requests so far",
			i+1, c.runs, r.rows, n.wall.Round(time.Millisecond), mib(n.maxRSS), v.p.wall.Round(time.Millisecond), mib(v.p.maxRSS), r.requests)
	}
	return nil
}

// syncNight2 runs night 2 over the whole export with night 1's ledger.
func syncNight2(ctx context.Context, c *config, em *emulator.Running, mappingPath, ledgerPath, path string, r *syncResult) error {
	dir, err := freshDir(c.workDir, "sync-night2-")
	if err != nil {
		return err
	}
	before := em.Server.Stats().Requests
	p, sum, err := job{input: path, mapping: mappingPath, stateDir: dir, em: em, extra: syncArgs(ledgerPath)}.run(ctx, c.bin)
	if err != nil {
		return err
	}
	if p.exit != 0 || !sum.Done {
		return fmt.Errorf("sync night 2: exit %d, done %v", p.exit, sum.Done)
	}
	r.nights, r.requests = append(r.nights, p), r.requests+em.Server.Stats().Requests-before
	r.skipped = min(r.skipped, sum.Counts.Of(outcome.Skipped))
	return nil
}

func syncRows(r *results) []row {
	s := r.sync
	if s == nil || len(s.nights) == 0 {
		return nil
	}
	sec := func(p proc) float64 { return p.wall.Seconds() }
	wall, cpu := medianOf(s.nights, sec), medianOf(s.nights, func(p proc) float64 { return p.cpu.Seconds() })
	floor := medianOf(s.validate, func(v validateResult) float64 { return v.p.wall.Seconds() })
	rss := medianOf(s.nights, func(p proc) float64 { return mib(p.maxRSS) })
	valRSS := medianOf(s.validate, func(v validateResult) float64 { return mib(v.p.maxRSS) })
	return []row{
		{id: "10a", figure: "nightly sync, unchanged export: requests sent", value: fmt.Sprintf("%d", s.requests), target: "0", ok: check(s.requests == 0),
			against: fmt.Sprintf("requests the emulator received during %d night-2 runs (`run --ledger L --on-conflict update`) over %s rows; fewest rows skipped as unchanged (ledger digests) in a run: %s",
				len(s.nights), thousands(float64(s.rows)), thousands(float64(s.skipped)))},
		{id: "10b", figure: "nightly sync, unchanged export: wall time", value: fmt.Sprintf("%.1f s", wall), target: "< 60 s", ok: check(wall < 60 && s.skipped == int64(s.rows)),
			against: fmt.Sprintf("%s rows through the binary, process wall incl. start, %.1f CPU s; validate over the same file (read + map, the floor of any run) in the same bench run: %.1f s, so ×%.2f; %s",
				thousands(float64(s.rows)), cpu, floor, wall/floor, runsNote(s.nights, func(p proc) string { return fmt.Sprintf("%.1f s", sec(p)) }))},
		{id: "10c", figure: "nightly sync, unchanged export: peak RSS", value: fmt.Sprintf("%.1f MiB", rss),
			against: fmt.Sprintf("validate over the same file: %.1f MiB. The run's figure includes the pages of the ledger file (%.0f MiB) it maps, which are page cache, not heap; night 1's ledger: %d rows imported by the binary, the rest recorded through ledger.Ledger in %.1f s",
				valRSS, mib(s.ledger), syncSeedRows, s.build.Seconds())},
	}
}

// profileSync runs night 2 again in this process under the profiler
// (-profile): sync.{cpu,heap}.pprof. It sends no request, so the
// in-process emulator adds nothing to the profile.
func profileSync(ctx context.Context, c *config, em *emulator.Running, spec *mapping.Spec, ledger, path string) error {
	if err := os.MkdirAll(c.profileDir, 0o700); err != nil {
		return err
	}
	api, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		return err
	}
	dir, err := freshDir(c.workDir, "profile-sync-")
	if err != nil {
		return err
	}
	src, err := source.NewFile(path, source.Options{})
	if err != nil {
		return err
	}
	return profiled(filepath.Join(c.profileDir, "sync"), func() error {
		_, err := importer.Run(ctx, importer.Options{Input: src, Spec: spec, StateDir: dir, UserStoreID: emulator.DemoUserStore,
			API: api, LedgerPath: ledger, OnConflict: importer.ConflictUpdate})
		return err
	})
}
