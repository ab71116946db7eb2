package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// dedupResult is figure 13: validate with the durable duplicate table
// (the binary under test) next to the binary of the commit before it
// landed (the in-memory table), over the same file, one after the other.
type dedupResult struct {
	oldRev string
	sizes  []dedupSize
}

// dedupSize holds the alternating runs of both binaries over one input.
type dedupSize struct {
	rows     int
	old, new []validateResult
}

// dedupFigures builds the old binary from git history (git archive of
// c.dedupOldRev into the work directory, go build: the same go toolchain
// and module cache as this bench), then alternates old and new validate
// runs over the validate input (c.runs pairs) and, with -dedup-big, over
// the large input (c.dedupBigRuns pairs). The pairs alternate which binary
// runs first, so neither always meets a page cache the other warmed.
func dedupFigures(ctx context.Context, c *config, mappingPath string) (*dedupResult, error) {
	old, err := buildOld(ctx, c)
	if err != nil {
		return nil, err
	}
	res := &dedupResult{oldRev: c.dedupOldRev}
	sizes := []struct{ rows, runs int }{{c.validateRows, c.runs}}
	if c.dedupBig {
		sizes = append(sizes, struct{ rows, runs int }{c.bigRows, c.dedupBigRuns})
	}
	for _, s := range sizes {
		path, err := input(c.dataDir, "csv", s.rows)
		if err != nil {
			return nil, err
		}
		d := dedupSize{rows: s.rows}
		for i := range s.runs {
			var dur, mem validateResult
			runNew := func() (err error) { dur, err = validateRun(ctx, c, path, mappingPath); return err }
			runOld := func() (err error) { mem, err = validateRunBin(ctx, c, old, path, mappingPath); return err }
			first, second := runNew, runOld
			if i%2 == 1 {
				first, second = runOld, runNew
			}
			if err := first(); err != nil {
				return nil, err
			}
			if err := second(); err != nil {
				return nil, err
			}
			if dur.rows != mem.rows {
				return nil, fmt.Errorf("dedup: the durable table's validate read %d rows, the in-memory one's %d", dur.rows, mem.rows)
			}
			logf("dedup %d rows, pair %d/%d: durable table %.1f s %.1f MiB, in-memory (%s) %.1f s %.1f MiB",
				s.rows, i+1, s.runs, dur.p.wall.Seconds(), mib(dur.p.maxRSS), c.dedupOldRev, mem.p.wall.Seconds(), mib(mem.p.maxRSS))
			d.new, d.old = append(d.new, dur), append(d.old, mem)
		}
		res.sizes = append(res.sizes, d)
	}
	return res, nil
}

// validateRunBin is validateRun with another binary.
func validateRunBin(ctx context.Context, c *config, bin, input, mappingPath string) (validateResult, error) {
	cc := *c
	cc.bin = bin
	return validateRun(ctx, &cc, input, mappingPath)
}

// buildOld builds cmd/ciam-import of c.dedupOldRev from the git history of
// the repository the bench runs in.
func buildOld(ctx context.Context, c *config) (string, error) {
	src := filepath.Join(c.workDir, "old-src")
	bin := filepath.Join(c.workDir, "ciam-import-old")
	if err := os.MkdirAll(src, 0o700); err != nil {
		return "", err
	}
	logf("building ciam-import of %s (git archive | tar, go build)", c.dedupOldRev)
	archive := exec.CommandContext(ctx, "sh", "-c", `git archive "$1" | tar -x -C "$2"`, "sh", c.dedupOldRev, src)
	if out, err := archive.CombinedOutput(); err != nil {
		return "", fmt.Errorf("git archive %s: %w: %s", c.dedupOldRev, err, strings.TrimSpace(string(out)))
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/ciam-import")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build %s: %w: %s", c.dedupOldRev, err, strings.TrimSpace(string(out)))
	}
	return bin, nil
}

func dedupRows(r *results) []row {
	if r.dedup == nil {
		return nil
	}
	var rows []row
	for i, s := range r.dedup.sizes {
		ratio := medianOf(pairs(s), func(p [2]validateResult) float64 { return p[0].p.wall.Seconds() / p[1].p.wall.Seconds() })
		cpu := medianOf(pairs(s), func(p [2]validateResult) float64 { return p[0].p.cpu.Seconds() / p[1].p.cpu.Seconds() })
		newRSS, oldRSS := mib(maxRSS(s.new)), mib(maxRSS(s.old))
		sec := func(v validateResult) float64 { return v.p.wall.Seconds() }
		id := fmt.Sprintf("13%c", 'a'+2*i)
		rows = append(rows,
			row{id: id, figure: fmt.Sprintf("validate, durable dedup table ÷ in-memory table, %s rows", thousands(float64(s.rows))),
				value: fmt.Sprintf("%.2f (%.1f vs %.1f s)", ratio, medianOf(s.new, sec), medianOf(s.old, sec)), target: "≤ 1.2", ok: check(ratio <= 1.2),
				against: fmt.Sprintf("process wall, median of %d run-by-run ratios (%s; CPU ratio %.2f); the in-memory table is the binary of %s built by the bench from git history, same file, same machine, runs alternating",
					len(s.new), runsNote(pairs(s), func(p [2]validateResult) string { return fmt.Sprintf("%.2f", sec(p[0])/sec(p[1])) }), cpu, r.dedup.oldRev)},
			row{id: fmt.Sprintf("13%c", 'a'+2*i+1), figure: fmt.Sprintf("peak RSS, validate with the durable table, %s rows", thousands(float64(s.rows))),
				value: fmt.Sprintf("%.1f MiB", newRSS), target: "< 128 MiB", ok: check(newRSS < 128),
				against: fmt.Sprintf("the in-memory table: %.1f MiB (it stops adding rows past ~900,000 rows' identifiers)", oldRSS)})
	}
	return rows
}

// pairs are the (durable, in-memory) runs of one size, in order.
func pairs(s dedupSize) [][2]validateResult {
	var ps [][2]validateResult
	for i := range min(len(s.new), len(s.old)) {
		ps = append(ps, [2]validateResult{s.new[i], s.old[i]})
	}
	return ps
}

func dedupAll(ctx context.Context, c *config, mappingPath string, res *results) (err error) {
	start := time.Now()
	res.dedup, err = dedupFigures(ctx, c, mappingPath)
	logf("dedup figures in %s", time.Since(start).Round(time.Second))
	return err
}
