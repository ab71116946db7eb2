package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// dbSmallRows is the smaller table of the database RSS figure; the larger
// one has c.validateRows rows, the size of the CSV validate figure.
const dbSmallRows = 10_000

// dbColumns is the users table the generated rows are loaded into: the
// columns of sourcetest.Columns, in order, with the types a legacy table
// has (a bigint key, a date, varchars). loadTable adds the primary key.
const dbColumns = "legacy_id bigint NOT NULL, login varchar(64), email varchar(200), mobile varchar(40), " +
	"first_name varchar(64), last_name varchar(64), birthday date, groups varchar(64), dept varchar(64), password varchar(72)"

// dbResult is figure 11 for one server: validate over a table of the rows
// of the CSV export, run by run next to validate over that export.
type dbResult struct {
	flavor  string // "postgres" or "mariadb"
	skipped string // why it was not measured; "FAILED: ..." if the server failed to start
	load    time.Duration
	db, csv []validateResult  // c.validateRows rows, c.runs each, interleaved
	small   [2]validateResult // dbSmallRows rows: database, CSV
	// PostgreSQL only: once over a copy of the larger table stored in
	// random key order (the key index then reads the heap at random),
	// next to the CSV export
	shuffled *[2]validateResult
}

// dbFigures runs figure 11: `validate --input postgres://…` and
// `mysql://…` over throw-away servers holding the generated rows, next to
// `validate --input users.csv` over the same rows, in one run.
func dbFigures(ctx context.Context, c *config, mappingPath string) ([]dbResult, error) {
	dir, err := os.MkdirTemp("", "ciam-bench-db-") // not under -data: the servers' account must reach it
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := sqltest.Prepare(dir); err != nil {
		return nil, err
	}
	as, err := sqltest.Unprivileged()
	if err != nil {
		return nil, err
	}
	pwFile := filepath.Join(c.workDir, "db-password")
	if err := os.WriteFile(pwFile, []byte(sqltest.Password), 0o600); err != nil {
		return nil, err
	}
	var out []dbResult
	for _, flavor := range []string{"postgres", "mariadb"} {
		r, err := dbFlavor(ctx, c, mappingPath, filepath.Join(dir, flavor), as, flavor, pwFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flavor, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// dbFlavor starts one server, loads both tables and measures.
func dbFlavor(ctx context.Context, c *config, mappingPath, dir string, as *sqltest.RunAs, flavor, pwFile string) (dbResult, error) {
	r := dbResult{flavor: flavor}
	logf("%s: starting a throw-away server", flavor)
	var s sqltest.Server
	if flavor == "postgres" {
		s = sqltest.StartPostgres(dir, as)
	} else {
		s = sqltest.StartMariaDB(dir, as)
	}
	if s.Stop != nil {
		defer s.Stop()
	}
	if s.Missing != "" {
		r.skipped = s.Missing
		logf("*** %s FIGURE NOT MEASURED: %s", strings.ToUpper(flavor), s.Missing)
		return r, nil
	}
	sizes := []int{dbSmallRows, c.validateRows}
	csvs := make([]string, len(sizes))
	start := time.Now()
	for i, n := range sizes {
		var err error
		if csvs[i], err = input(c.dataDir, "csv", n); err != nil {
			return r, err
		}
		logf("%s: loading %d rows", flavor, n)
		if err := loadTable(s, dbTable(n), csvs[i]); err != nil {
			return r, fmt.Errorf("load %d rows: %w", n, err)
		}
	}
	r.load = time.Since(start)
	logf("%s: loaded in %s", flavor, r.load.Round(time.Second))
	flags := func(table string) []string {
		return []string{"--table", table, "--key", "legacy_id", "--db-password-file", pwFile}
	}
	for i := range c.runs {
		v, err := validateRun(ctx, c, csvs[1], mappingPath)
		if err != nil {
			return r, err
		}
		d, err := validateRun(ctx, c, s.DSN, mappingPath, flags(dbTable(c.validateRows))...)
		if err != nil {
			return r, err
		}
		if dc, vc := counted(d.p), counted(v.p); dc != vc {
			return r, fmt.Errorf("validate of the table found %s, of the CSV export %s", dc, vc)
		}
		r.csv, r.db = append(r.csv, v), append(r.db, d)
		logf("%s run %d/%d: %.0f rows/s (CSV %.0f rows/s, ×%.2f), max RSS %.1f MiB (CSV %.1f MiB), %.1f CPU s (CSV %.1f)",
			flavor, i+1, c.runs, d.perSec, v.perSec, v.perSec/d.perSec, mib(d.p.maxRSS), mib(v.p.maxRSS),
			d.p.cpu.Seconds(), v.p.cpu.Seconds())
	}
	var err error
	if r.small[0], err = validateRun(ctx, c, s.DSN, mappingPath, flags(dbTable(dbSmallRows))...); err != nil {
		return r, err
	}
	if r.small[1], err = validateRun(ctx, c, csvs[0], mappingPath); err != nil {
		return r, err
	}
	logf("%s %d rows: max RSS %.1f MiB (CSV %.1f MiB)", flavor, dbSmallRows, mib(r.small[0].p.maxRSS), mib(r.small[1].p.maxRSS))
	if flavor == "postgres" {
		r.shuffled, err = shuffledRun(ctx, c, s, mappingPath, csvs[1], flags("shuffled"))
	}
	return r, err
}

// shuffledRun validates a copy of the larger table stored in random key
// order (the table "shuffled", which flags name), next to the CSV export.
func shuffledRun(ctx context.Context, c *config, s sqltest.Server, mappingPath, csvPath string, flags []string) (*[2]validateResult, error) {
	table := dbTable(c.validateRows)
	logf("postgres: copying %s in random order", table)
	if err := sqltest.PGExec(s.DSN, "CREATE TABLE shuffled AS SELECT * FROM "+table+" ORDER BY random()",
		"ALTER TABLE shuffled ADD PRIMARY KEY (legacy_id)", "VACUUM ANALYZE shuffled"); err != nil {
		return nil, err
	}
	v, err := validateRun(ctx, c, csvPath, mappingPath)
	if err != nil {
		return nil, err
	}
	d, err := validateRun(ctx, c, s.DSN, mappingPath, flags...)
	if err != nil {
		return nil, err
	}
	logf("postgres, random order: %.0f rows/s (CSV %.0f rows/s, ×%.2f)", d.perSec, v.perSec, v.perSec/d.perSec)
	return &[2]validateResult{d, v}, nil
}

// counted is what validate --json counted, for comparing two inputs.
func counted(p proc) string {
	var sum struct{ Rows, Valid, Rejected, Duplicates int64 }
	if err := json.Unmarshal(p.stdout, &sum); err != nil {
		return "no summary: " + err.Error()
	}
	return fmt.Sprintf("%d rows: %d valid, %d rejected, %d duplicates", sum.Rows, sum.Valid, sum.Rejected, sum.Duplicates)
}

func dbTable(n int) string { return fmt.Sprintf("users_%d", n) }

// loadTable creates table on s and loads the CSV export at path into it,
// then adds the primary key and stores the table in key order, as a legacy
// table whose ids were given out in insertion order is stored (InnoDB
// always stores a table in primary key order), and updates the planner's
// statistics.
func loadTable(s sqltest.Server, table, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := sqltest.LoadCSV(s, table, dbColumns, f); err != nil {
		return err
	}
	if s.Name == "postgres" {
		return sqltest.PGExec(s.DSN, "ALTER TABLE "+table+" ADD PRIMARY KEY (legacy_id)",
			"CLUSTER "+table+" USING "+table+"_pkey", "VACUUM ANALYZE "+table)
	}
	return sqltest.MyExec(s.DSN, "ALTER TABLE "+table+" ADD PRIMARY KEY (legacy_id)", "ANALYZE TABLE "+table)
}

func dbAll(ctx context.Context, c *config, mappingPath string, res *results) (err error) {
	res.db, err = dbFigures(ctx, c, mappingPath)
	return err
}

// dbRows are the rows of figure 11, one pair per server.
func dbRows(c *config, r *results) []row {
	var rows []row
	for i, d := range r.db {
		id := fmt.Sprintf("11%c", 'a'+2*i)
		name := map[string]string{"postgres": "PostgreSQL", "mariadb": "MariaDB"}[d.flavor]
		if d.skipped != "" {
			var ok *bool
			if strings.HasPrefix(d.skipped, "FAILED") {
				ok = check(false)
			}
			rows = append(rows, row{id: id, figure: "validate from " + name + " ÷ from CSV", value: "not measured",
				target: "≤ 2", ok: ok, against: strings.SplitN(d.skipped, "\n", 2)[0]})
			continue
		}
		dbRate := medianOf(d.db, func(x validateResult) float64 { return x.perSec })
		csvRate := medianOf(d.csv, func(x validateResult) float64 { return x.perSec })
		ratios := make([]float64, len(d.db))
		for i := range d.db {
			ratios[i] = d.csv[i].perSec / d.db[i].perSec
		}
		shuffled := ""
		if x := d.shuffled; x != nil {
			shuffled = fmt.Sprintf("; the table stored in random key order (the key index reads the heap at random): %s rows/s, ×%.2f of the CSV run beside it",
				thousands(x[0].perSec), x[1].perSec/x[0].perSec)
		}
		dbCPU := medianOf(d.db, func(x validateResult) float64 { return x.p.cpu.Seconds() })
		csvCPU := medianOf(d.csv, func(x validateResult) float64 { return x.p.cpu.Seconds() })
		ratio := median(ratios)
		rows = append(rows, row{id: id, figure: "validate from " + name + ": time ÷ the CSV export's", value: fmt.Sprintf("%.2f", ratio),
			target: "≤ 2", ok: check(ratio <= 2),
			against: fmt.Sprintf("%s rows read and mapped (bench/mapping.yaml) at %s rows/s from `--table` (page size default) vs %s rows/s from the same rows as CSV (medians); CSV ÷ database rate, %s; importer CPU %.1f s vs %.1f s; process wall incl. start; the server runs on the same 2 cores%s",
				thousands(float64(c.validateRows)), thousands(dbRate), thousands(csvRate),
				runsNote(ratios, func(x float64) string { return fmt.Sprintf("%.2f", x) }), dbCPU, csvCPU, shuffled)})
		big, small := maxRSS(d.db), d.small[0].p.maxRSS
		csvBig, csvSmall := maxRSS(d.csv), d.small[1].p.maxRSS
		grow, csvGrow := mib(big-small), mib(csvBig-csvSmall)
		rows = append(rows, row{id: fmt.Sprintf("11%c", 'b'+2*i), figure: "peak RSS, validate from " + name,
			value:  fmt.Sprintf("%.1f MiB @ %s rows → %.1f MiB @ %s rows", mib(small), thousands(dbSmallRows), mib(big), thousands(float64(c.validateRows))),
			target: "growth ≤ CSV's + 8 MiB", ok: check(grow <= csvGrow+8),
			against: fmt.Sprintf("the CSV export: %.1f → %.1f MiB; both grow by validate's dedup table (6a), the database source by %+.1f MiB more: it holds three pages, not the table",
				mib(csvSmall), mib(csvBig), grow-csvGrow)})
	}
	return rows
}
