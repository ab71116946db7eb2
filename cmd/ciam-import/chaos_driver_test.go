package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// Kill phases: when, in a run, the SIGKILL lands.
const (
	phaseStartup   = "startup"    // 0-100ms after start: opening, replaying, reconciling
	phaseFirstRows = "first-rows" // right after the run's first journal write
	phaseMid       = "mid"        // part of the way through what is left
	phaseLate      = "late"       // 85-97% through what is left
)

// killRecord says how one kill went, for the summary.
type killRecord struct {
	run      string
	phase    string
	killed   bool // false: the run exited on its own first, with code
	code     int
	line     int64 // last journaled line when it died
	inDoubt  int   // rows begun and not settled when it died
	snapshot bool  // the run checkpointed progress before dying
}

// driver runs, kills and resumes one import.
type driver struct {
	j     *chaosJob
	rng   *rand.Rand
	runs  int
	kills []killRecord
	plan  []string // the phase of each kill, in order
	// meddled counts the runs started beside a running one.
	meddled int
}

func newDriver(j *chaosJob, seed int64) *driver {
	return &driver{j: j, rng: rand.New(rand.NewPCG(uint64(seed), 0x63686173))}
}

// next returns the command that continues the job, and false when the job
// is finished: main pass done, nothing retryable left.
func (d *driver) next(t *testing.T) ([]string, bool) {
	t.Helper()
	snap, err := state.ReadSnapshot(filepath.Join(d.j.stateDir, "snapshot.json"))
	switch {
	case errors.Is(err, state.ErrNoSnapshot):
		return d.fullArgs(), true
	case err != nil:
		t.Fatalf("after run %d: %v", d.runs, err)
	case snap.Done && snap.Counts.Of(outcome.Retryable) == 0:
		return nil, false
	case snap.Done: // the rest from job.json, as for the short form of run
		return []string{"retry", "--state-dir", d.j.stateDir, "--progress", "never"}, true
	}
	if _, err := os.Stat(filepath.Join(d.j.stateDir, jobFile)); err != nil || d.rng.IntN(2) == 0 {
		return d.fullArgs(), true
	}
	return []string{"run", "--state-dir", d.j.stateDir, "--progress", "never"}, true // the rest from job.json
}

func (d *driver) fullArgs() []string {
	return append(d.j.jobArgs(d.j.stateDir), d.tuning()...)
}

func (d *driver) tuning() []string {
	return []string{"--workers", strconv.Itoa(d.j.workers), "--rate", "0", "--progress", "never"}
}

func (d *driver) start(t *testing.T, args []string) *importProc {
	t.Helper()
	d.runs++
	name := fmt.Sprintf("run%02d-%s", d.runs, args[0])
	return startImport(t, d.j.importBin, d.j.logDir, name, args...)
}

// killLoop kills runs of the job until kills SIGKILLs have landed or the job
// is finished, following plan. After mainKills kills in the main pass, it
// lets the main pass finish and kills retry passes.
func (d *driver) killLoop(t *testing.T, kills, mainKills int) {
	t.Helper()
	d.plan = d.makePlan(kills)
	for attempt := 0; len(d.killed()) < kills && attempt < 4*kills; attempt++ {
		args, more := d.next(t)
		if !more {
			return
		}
		phase := d.plan[len(d.killed())]
		if args[0] == "run" && len(d.killed()) >= mainKills {
			p := d.start(t, args)
			d.expectFinished(t, p, p.wait(t, runDeadline))
			continue
		}
		if args[0] == "retry" && (phase == phaseMid || phase == phaseLate) {
			phase = phaseFirstRows // a retry pass is short; it has no "middle"
		}
		d.killOne(t, d.start(t, args), phase)
	}
}

// makePlan orders the phases of kills: the first always hits the very first
// rows of a fresh state directory, about one in eight lands near the end of
// the input, last, and the rest are startup, first-rows and mid kills in a
// seeded shuffle, the mid kills spreading the progress over the input.
func (d *driver) makePlan(kills int) []string {
	late := max(kills/8, 1)
	var body []string
	for i := 0; len(body) < kills-1-late; i++ {
		body = append(body, []string{phaseStartup, phaseFirstRows, phaseMid}[i%3])
	}
	d.rng.Shuffle(len(body), func(i, k int) { body[i], body[k] = body[k], body[i] })
	plan := append([]string{phaseFirstRows}, body...)
	for len(plan) < kills {
		plan = append(plan, phaseLate)
	}
	return plan[:kills]
}

// progressTarget draws the journal line at which a mid or late kill lands,
// from line0, where the run started: a mid kill goes about 1/(n+1) of the
// way to the end, n being the mid kills left, so they spread over the input;
// a late kill 85-97% of the way.
func (d *driver) progressTarget(phase string, line0 int64) int64 {
	frac := 0.85 + 0.12*d.rng.Float64()
	if phase == phaseMid {
		left := 0
		for _, p := range d.plan[len(d.killed()):] {
			if p == phaseMid {
				left++
			}
		}
		frac = min((0.5+d.rng.Float64())/float64(left+1), 0.75)
	}
	return line0 + int64(frac*float64(d.j.in.lastLine-line0))
}

// meddle does, while p runs, what an operator might: ask for the status,
// which must work, and start a second run (with another --region), which
// must find the state directory locked and leave job.json alone.
func (d *driver) meddle(t *testing.T, p *importProc) {
	t.Helper()
	out, err := exec.Command(d.j.importBin, "status", "--state-dir", d.j.stateDir, "--json").CombinedOutput()
	var st importer.Status
	if err == nil {
		err = json.Unmarshal(out, &st)
	}
	if err != nil {
		t.Errorf("status during %s: %v\n%s", p.name, err, out)
	}
	jobJSON := filepath.Join(d.j.stateDir, jobFile)
	job0, _ := os.ReadFile(jobJSON)
	args, more := d.next(t)
	if !more { // p finished the job while status ran: nothing is left to run beside it
		return
	}
	q := d.start(t, append(args, "--region", "ap-shanghai"))
	code := q.wait(t, runDeadline)
	d.meddled++
	switch job1, _ := os.ReadFile(jobJSON); {
	case code == exitLocked && !bytes.Equal(job0, job1):
		t.Errorf("%s, locked out, rewrote %s:\n%s", q.name, jobFile, job1)
		if err := os.WriteFile(jobJSON, job0, 0o600); err != nil { // carry on with the job as it was
			t.Fatal(err)
		}
	case code == exitLocked:
	case p.running():
		t.Errorf("%s ran beside %s: exit %d, want %d (locked); stderr:\n%s", q.name, p.name, code, exitLocked, readTail(q.stderr))
	default:
		d.expectFinished(t, q, code) // p had finished: q was a run like any other
	}
}

// killed returns the records of the runs a SIGKILL ended.
func (d *driver) killed() []killRecord {
	return slices.DeleteFunc(slices.Clone(d.kills), func(k killRecord) bool { return !k.killed })
}

// killOne waits for the event of phase plus a random delay, then SIGKILLs p.
func (d *driver) killOne(t *testing.T, p *importProc, phase string) {
	t.Helper()
	jr := journalOf(d.j.stateDir)
	snapshot := filepath.Join(d.j.stateDir, "snapshot.json")
	head0, line0 := jr.head(), jr.lastLine()
	snap0 := settledLine(snapshot)
	var extra time.Duration
	switch phase {
	case phaseStartup:
		extra = time.Duration(d.rng.IntN(100_000)) * time.Microsecond
	case phaseFirstRows:
		p.waitUntil(t, runDeadline, "a first journal write", func() bool { return jr.head() != head0 })
		extra = time.Duration(d.rng.IntN(3_000)) * time.Microsecond
	case phaseMid, phaseLate:
		target := d.progressTarget(phase, line0)
		p.waitUntil(t, runDeadline, fmt.Sprintf("line %d in the journal", target),
			func() bool { return jr.lastLine() >= target })
		extra = time.Duration(d.rng.IntN(20_000)) * time.Microsecond
		if phase == phaseMid && d.rng.IntN(2) == 0 {
			d.meddle(t, p)
		}
	}
	select {
	case <-time.After(extra):
	case <-p.exited:
	}
	rec := killRecord{run: p.name, phase: phase, killed: p.kill(t), code: p.state.ExitCode()}
	rec.line, rec.inDoubt = jr.lastLine(), jr.inDoubt(t)
	rec.snapshot = settledLine(snapshot) != snap0
	if !rec.killed {
		d.expectFinished(t, p, rec.code)
	}
	d.kills = append(d.kills, rec)
}

// finish runs the job to its end without kills: run, then retry passes.
// Then it runs the finished job once more, which must send nothing, and
// returns that run's exit code.
func (d *driver) finish(t *testing.T) int {
	t.Helper()
	for range 8 {
		args, more := d.next(t)
		if !more {
			var before, after emulatorStats
			d.j.em.debug(t, "stats", &before)
			p := d.start(t, []string{"run", "--state-dir", d.j.stateDir, "--progress", "never"})
			code := p.wait(t, runDeadline)
			d.expectFinished(t, p, code)
			if d.j.em.debug(t, "stats", &after); after.Requests != before.Requests {
				t.Errorf("%s, on a finished job, sent %d requests", p.name, after.Requests-before.Requests)
			}
			return code
		}
		p := d.start(t, args)
		d.expectFinished(t, p, p.wait(t, runDeadline))
	}
	t.Fatalf("the job is not finished after %d runs", d.runs)
	return -1
}

// expectFinished asserts a run that ended on its own ended well.
func (d *driver) expectFinished(t *testing.T, p *importProc, code int) {
	t.Helper()
	switch code {
	case 0, 3, 4: // ok, partial (the rejected rows), retryable left
	default:
		t.Fatalf("%s exited %d; stderr:\n%s", p.name, code, readTail(p.stderr))
	}
}

// summary describes the kills for the test log.
func (d *driver) summary() string {
	var b strings.Builder
	perPhase := map[string]int{}
	doubt, withSnap := 0, 0
	for _, k := range d.kills {
		if !k.killed {
			fmt.Fprintf(&b, "\n    %s (%s): exited %d before the kill", k.run, k.phase, k.code)
			continue
		}
		perPhase[k.phase]++
		doubt += k.inDoubt
		if k.snapshot {
			withSnap++
		}
		fmt.Fprintf(&b, "\n    %s killed %-10s at line %5d, %d rows in doubt, checkpointed: %v", k.run, k.phase, k.line, k.inDoubt, k.snapshot)
	}
	return fmt.Sprintf("%d kills (%v), %d in runs that had not checkpointed yet, %d rows left in doubt in all, "+
		"%d runs, %d of them started beside a running one (locked out)%s",
		len(d.killed()), perPhase, len(d.killed())-withSnap, doubt, d.runs, d.meddled, b.String())
}

// settledLine is how far the checkpoint at path says the job is.
func settledLine(path string) [2]int64 {
	snap, err := state.ReadSnapshot(path)
	if err != nil {
		return [2]int64{}
	}
	return [2]int64{int64(snap.Pass), snap.Line}
}
