package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

const latencyNote = "emulator: quota 20/s, latency log-normal median 150 ms / p99 1.2 s, 3 % InternalError"

func quotaRows(c *config, r *results) []row {
	if len(r.quota) == 0 {
		return nil
	}
	ratio := medianOf(r.quota, func(q quotaResult) float64 { return q.perSecond() / quota })
	steady := medianOf(r.quota, func(q quotaResult) float64 { return q.steady })
	refused := medianOf(r.quota, quotaResult.refusedShare)
	wall := medianOf(r.quota, func(q quotaResult) float64 { return q.p.wall.Seconds() })
	overFloor := medianOf(r.quota, func(q quotaResult) float64 { return q.p.wall.Seconds() / q.floor().Seconds() })
	floor := medianOf(r.quota, func(q quotaResult) float64 { return q.floor().Seconds() })
	created := medianOf(r.quota, func(q quotaResult) float64 { return float64(q.created) })
	lost := medianOf(r.quota, func(q quotaResult) float64 { return float64(q.lost()) })
	maxWin := medianOf(r.quota, func(q quotaResult) float64 { return float64(q.maxWindow) })
	ceiling := medianOf(r.quota, func(q quotaResult) float64 { return float64(q.created) / float64(q.requests-q.refused) })
	refusedN := medianOf(r.quota, func(q quotaResult) float64 { return float64(q.refused) })
	requests := medianOf(r.quota, func(q quotaResult) float64 { return float64(q.requests) })
	rows := []row{
		{id: "1a", figure: "quota use: creates/s ÷ quota", value: fmt.Sprintf("%.3f", ratio),
			against: fmt.Sprintf("%.0f of %d rows created in %.1f s (process wall, start to exit) = %.2f/s vs 20/s; %s%s. Admitted calls that failed with InternalError used quota too: created ÷ admitted = %.3f is the ceiling of this figure",
				created, c.quotaRows, wall, ratio*quota, latencyNote, workersNote(c), ceiling)},
		{id: "1b", figure: "quota use: admitted CreateUser/s, first to last admission", value: fmt.Sprintf("%.2f/s", steady),
			target: "≥ 19.8/s", ok: check(steady >= 0.99*quota),
			against: fmt.Sprintf("%s; max %.0f admissions in any 1 s window", runsNote(r.quota, func(q quotaResult) string { return fmt.Sprintf("%.2f", q.steady) }), maxWin)},
		{id: "1c", figure: "our requests refused for rate", value: pct(refused), target: "< 0.2 %", ok: check(refused < 0.002),
			against: fmt.Sprintf("RequestLimitExceeded ÷ all requests we sent, as the emulator counted them (median %.0f of %.0f)", refusedN, requests)},
		{id: "1d", figure: "wall time ÷ floor", value: fmt.Sprintf("%.3f", overFloor), target: "≤ 1.03", ok: check(overFloor <= 1.03),
			against: fmt.Sprintf("process wall %.1f s vs floor %.1f s = admitted requests ÷ 20/s + the last answer's injected latency; %s",
				wall, floor, runsNote(r.quota, func(q quotaResult) string { return fmt.Sprintf("%.3f", q.p.wall.Seconds()/q.floor().Seconds()) }))},
	}
	if b := r.baseline; b != nil {
		ours := medianOf(r.quota, quotaResult.perSecond)
		rows = append(rows,
			row{id: "2a", figure: "created/s: ours ÷ naive SDK loop", value: fmt.Sprintf("%.2f", ours/b.perSecond()),
				against: fmt.Sprintf("ours %.2f/s (median) vs %d goroutines, each with the SDK's common client (its RequestLimitExceeded retry on, 10 retries), %.2f/s: %d created in %.1f s; same rows, same emulator settings, run one after the other",
					ours, baselineWorkers, b.perSecond(), b.created, b.wall.Seconds())},
			row{id: "2b", figure: "rows lost: ours vs naive SDK loop", value: fmt.Sprintf("%.0f vs %d", lost, b.failed),
				against: "rows not created when the run ended; the SDK retries only RequestLimitExceeded, so each InternalError loses its row"},
			row{id: "2c", figure: "naive SDK loop: requests refused for rate", value: pct(share(b.refused, b.requests)),
				against: fmt.Sprintf("%d refused of %d requests", b.refused, b.requests)})
	}
	return rows
}

func workersNote(c *config) string {
	if c.workers > 0 {
		return fmt.Sprintf("; --workers %d", c.workers)
	}
	return "; default --workers"
}

// runsNote lists one figure of every run.
func runsNote[T any](xs []T, f func(T) string) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, f(x))
	}
	return "runs: " + strings.Join(parts, ", ")
}

func dipRows(c *config, r *results) []row {
	d := r.dip
	if d == nil {
		return nil
	}
	rec := "never"
	if d.recovered >= 0 {
		rec = fmt.Sprintf("%.1f s", d.recovered.Seconds())
	}
	refused := d.q.refusedShare()
	return []row{
		{id: "8a", figure: "quota dip: our requests refused for rate", value: pct(refused), target: "< 5 %", ok: check(refused < 0.05),
			against: fmt.Sprintf("%d of our %d requests; the quota fell to %.0f %% (%s) %s after the emulator started, for %s; %s%s",
				d.q.refused, d.q.requests, 100*d.dip.Factor, dipQuota(d.dip), d.dip.After, d.dip.For, latencyNote, workersNote(c))},
		{id: "8b", figure: "quota dip: back at ≥ 95 % of the quota after it", value: rec, target: "≤ 10 s", ok: check(d.recovered >= 0 && d.recovered <= 10*time.Second),
			against: fmt.Sprintf("end of the dip to the first 1 s window holding ≥ %.0f admissions; during the dip (its first 2 s left out) %.2f admitted/s against %s",
				recoveredShare*quota, d.during, dipQuota(d.dip))},
		{id: "8c", figure: "quota dip: our creates/s", value: fmt.Sprintf("%.2f", d.q.perSecond()),
			against: fmt.Sprintf("%d of %d rows created in %.1f s, %d lost", d.q.created, d.q.read, d.q.p.wall.Seconds(), d.q.lost())},
	}
}

func dipQuota(d emulator.QuotaDip) string { return fmt.Sprintf("%d/s", max(1, int(quota*d.Factor))) }

func headroomRows(r *results) []row {
	if len(r.headroom) == 0 {
		return nil
	}
	perSec := medianOf(r.headroom, func(h headroomResult) float64 { return h.perSec })
	cpu := medianOf(r.headroom, func(h headroomResult) float64 { return h.cpuPer1k })
	emu := medianOf(r.headroom, func(h headroomResult) float64 { return h.emuCPU.Seconds() / float64(max(h.created, 1)) * 1000 })
	h := r.headroom[0]
	return []row{
		{id: "3a", figure: "headroom: end-to-end creates/s, quota lifted, --rate 0", value: thousands(perSec), target: "≥ 2,000", ok: check(perSec >= 2000),
			against: fmt.Sprintf("%d rows per run, 8 workers, emulator in-process without latency or faults, sharing the 2 cores; process wall incl. start", h.created)},
		{id: "3b", figure: "headroom: importer CPU s per 1,000 rows", value: fmt.Sprintf("%.3f", cpu),
			against: fmt.Sprintf("user+sys of the ciam-import process; the emulator used %.3f CPU s per 1,000 rows meanwhile, so 2 idle cores could serve at most %s creates/s",
				emu, thousands(2000/(cpu+emu)))},
	}
}

func sharedRows(r *results) []row {
	s := r.shared
	if s == nil {
		return nil
	}
	perSec, refused := s.perSecond(), s.refusedShare()
	o := r.other
	return []row{
		{id: "4a", figure: "shared quota: our creates/s", value: fmt.Sprintf("%.2f", perSec), target: "≥ 9/s", ok: check(perSec >= 9),
			against: fmt.Sprintf("%d created in %.1f s while another client sent %d/s (%d sent, %d refused); %s", s.created, s.p.wall.Seconds(), otherRate, o.sent.Load(), o.refused.Load(), latencyNote)},
		{id: "4b", figure: "shared quota: our requests refused for rate", value: pct(refused), target: "< 5 %", ok: check(refused < 0.05),
			against: fmt.Sprintf("%d of our %d requests; max %d admissions (both clients) in any 1 s window", s.refused, s.requests, s.maxWindow)},
	}
}

func validateRows(c *config, r *results) []row {
	var rows []row
	for i, f := range []string{"csv", "jsonl"} {
		v := r.validate[f]
		if len(v) == 0 {
			continue
		}
		rate := medianOf(v, func(x validateResult) float64 { return x.perSec })
		perCPU := medianOf(v, func(x validateResult) float64 { return float64(x.rows) / x.p.cpu.Seconds() })
		ref, lib := median(r.reference[f]), "encoding/csv Read"
		if f == "jsonl" {
			lib = "bufio lines + encoding/json into a map"
		}
		rows = append(rows, row{id: fmt.Sprintf("5%c", 'a'+i), figure: "validate throughput, " + f, value: thousands(rate) + " rows/s",
			target: "≥ 200,000 rows/s", ok: check(rate >= 200_000),
			against: fmt.Sprintf("%s rows, process wall incl. start (%s rows per CPU second of the process); %s alone reads the same file at %s rows/s",
				thousands(float64(c.validateRows)), thousands(perCPU), lib, thousands(ref))})
	}
	return rows
}

func memoryRows(c *config, r *results) []row {
	var rows []row
	if m := r.memVal; len(m) == 2 {
		rows = append(rows, memRow("6a", "peak RSS, validate (CSV)", m,
			fmt.Sprintf("validate reads every row; %s rows read in %.1f s", thousands(float64(m[1].read)), m[1].p.wall.Seconds())))
	}
	if m := r.memRun; len(m) == 2 {
		rows = append(rows, memRow("6b", "peak RSS, run (CSV), time-capped", m,
			fmt.Sprintf("--max-duration %s, quota lifted: read %s and %s rows of the two files, NOT %s: this shows that file size does not matter. A run's memory grows with rows read only through the in-input dedup table, which validate (6a) fills with every row",
				c.runCap, thousands(float64(m[0].read)), thousands(float64(m[1].read)), thousands(float64(c.bigRows)))))
	}
	return rows
}

func memRow(id, name string, m []memResult, against string) row {
	small, big := mib(m[0].maxRSS), mib(m[1].maxRSS)
	ok := big <= 1.5*small && big < 128 && small < 128
	return row{id: id, figure: name, value: fmt.Sprintf("%.1f MiB @ %s rows → %.1f MiB @ %s rows (×%.2f)", small, thousands(float64(m[0].rows)), big, thousands(float64(m[1].rows)), big/small),
		target: "larger ≤ 1.5 × smaller, < 128 MiB", ok: check(ok), against: against}
}

func resumeRows(r *results) []row {
	x := r.resume
	if x == nil || len(x.resumed) == 0 {
		return nil
	}
	sec := func(d time.Duration) float64 { return d.Seconds() }
	res, fresh := medianOf(x.resumed, sec), medianOf(x.fresh, sec)
	return []row{{id: "7", figure: "resume: start to first request, at 90 %", value: fmt.Sprintf("%.0f ms", res*1000), target: "< 1 s", ok: check(res < 1),
		against: fmt.Sprintf("resumed at row %s (checkpoint moved there after a real 10-row run, duplicate table filled with the %s identifiers of the rows before); a fresh start on the same file: %.0f ms; process start to the emulator's first CreateUser admission", thousands(float64(x.at)), thousands(float64(x.seen)), fresh*1000)}}
}
