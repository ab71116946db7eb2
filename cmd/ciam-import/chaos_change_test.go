package main

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// TestCrash_ChangingSource is the crash test with a changing source: a
// seeded random sequence of runs stopped by --max-rows or SIGKILL, edits of
// the export between them (lines removed, inserted, edited, keys repeated,
// the rows in flight at a kill dropped), resumes and retries, with
// checkIdentity after every step. An edit before the resume point must be
// refused (exit 2, nothing sent); it is then undone.
//
// Sizes: CIAM_CHAOS_ROWS/10 rows (default 150) and CIAM_CHAOS_KILLS steps
// (default 12); CIAM_CHAOS_SEED. `make chaos` runs 2,000 rows, 40 steps.
func TestCrash_ChangingSource(t *testing.T) {
	t.Parallel()
	rows := chaosEnvInt(t, "CIAM_CHAOS_ROWS", 1500) / 10
	steps := chaosEnvInt(t, "CIAM_CHAOS_KILLS", 12)
	seed := int64(chaosEnvInt(t, "CIAM_CHAOS_SEED", 1))
	e := newIDEnv(t, rows)
	e.faults = emulator.Faults{CreateUser: emulator.FaultSpec{DropRate: 0.15, LatencyMedian: time.Millisecond}}
	e.slowCreates(0)
	e.seedForeign(idForeign)
	c := &changer{e: e, rng: rand.New(rand.NewPCG(uint64(seed), 0x6368616e6765))}
	for i := range steps {
		if c.finished() {
			break
		}
		step := c.step()
		checkIdentity(t, e, fmt.Sprintf("step %d (%s)", i+1, step), false)
		if t.Failed() {
			t.Fatalf("seed %d: the invariants failed after step %d (%s); steps:\n  %s", seed, i+1, step, strings.Join(c.log, "\n  "))
		}
	}
	e.finish()
	checkIdentity(t, e, "done", true)
	t.Logf("seed %d, %d rows:\n  %s", seed, rows, strings.Join(c.log, "\n  "))
}

// changer draws the steps of one changing job.
type changer struct {
	e        *idEnv
	rng      *rand.Rand
	inFlight map[string]int64 // left by the last kill
	saved    *idSaved         // the job before the last edit, until a run takes it
	log      []string
}

// idSaved is an export and its history, to undo an edit.
type idSaved struct {
	rows     [][]string
	removed  map[string]int
	gone     map[string]bool
	inFlight map[string]int64
}

// step runs one random step and says what it was.
func (c *changer) step() string {
	what := c.pick()
	c.log = append(c.log, what)
	return what
}

func (c *changer) pick() string {
	e := c.e
	if snap, ok := e.snapshot(); ok && snap.Done { // a finished main pass reads no edit: retry passes only
		return c.resume(nil)
	}
	// Each run goes a little way (up to an eighth of the rows), so that
	// the steps spread over the input.
	maxRows := []string{"--max-rows", strconv.Itoa(1 + c.rng.IntN(max(len(e.rows)/8, 1)))}
	switch c.rng.IntN(3) {
	case 0:
		return c.kill()
	case 1:
		return c.resume(maxRows)
	}
	what := c.edit()
	return what + ", then " + c.resume(maxRows)
}

// finished says the job is done: main pass over, nothing retryable.
func (c *changer) finished() bool {
	snap, ok := c.e.snapshot()
	return ok && snap.Done && snap.Counts.Of(outcome.Retryable) == 0
}

// kill runs the job and SIGKILLs it part of the way through what is left.
func (c *changer) kill() string {
	e := c.e
	e.slowCreates(20 * time.Millisecond)
	defer e.slowCreates(0)
	jr := journalOf(e.stateDir)
	from := e.frontier()
	target := from + 1 + int64(c.rng.IntN(max(len(e.rows)/8, 1)))
	p := e.start(e.nextArgs()...)
	p.waitUntil(e.t, runDeadline, fmt.Sprintf("line %d", target), func() bool { return jr.lastLine() >= target })
	if !p.kill(e.t) {
		code := p.state.ExitCode()
		if code != exitOK && code != exitPartial && code != exitRetryable {
			e.t.Fatalf("%s exited %d; stderr:\n%s", p.name, code, readTail(p.stderr))
		}
		return fmt.Sprintf("%s finished (exit %d) before the kill", p.name, code)
	}
	e.quiesce()
	c.inFlight = e.inFlight()
	return fmt.Sprintf("%s killed at line %d, %d in flight", p.name, jr.lastLine(), len(c.inFlight))
}

// resume runs the job (or its retry pass) with extra flags to its end or
// its --max-rows; a refusal (exit 2) must have sent nothing, and undoes the
// last edit.
func (c *changer) resume(extra []string) string {
	e := c.e
	args := e.nextArgs()
	if args[0] == "run" {
		args = append(args, extra...)
	}
	before := e.requests()
	code := e.exec("step", args...)
	switch code {
	case exitUsage:
		if n := e.requests() - before; n != 0 {
			e.t.Errorf("a refused %s sent %d requests", args[0], n)
		}
		c.undo()
		return args[0] + " refused, edit undone"
	case exitOK, exitPartial, exitRetryable, exitLimit:
		c.saved = nil
		return fmt.Sprintf("%s exit %d", args[0], code)
	}
	e.t.Fatalf("%s exited %d; stderr:\n%s", args[0], code, e.lastStderr())
	return ""
}

// edit changes the export at random and writes it: a row removed,
// inserted, edited, a key repeated, or the rows in flight at the last kill
// dropped. Anywhere: an edit before the resume point must be refused.
func (c *changer) edit() string {
	e := c.e
	c.saved = &idSaved{slices.Clone(e.rows), maps.Clone(e.hist.removed), maps.Clone(e.hist.gone), maps.Clone(c.inFlight)}
	defer e.write()
	n := len(e.rows)
	i := c.rng.IntN(n)
	switch k := c.rng.IntN(5); {
	case k == 0 && len(c.inFlight) > 0:
		e.removeInFlight(c.inFlight)
		c.inFlight = nil
		return "rows in flight dropped"
	case k <= 1 && n > 2:
		e.remove(i)
		return fmt.Sprintf("line %d removed", lineOf(i))
	case k == 2:
		e.insert(i, e.newRow())
		return fmt.Sprintf("line %d inserted", lineOf(i))
	case k == 3:
		e.edit(i)
		return fmt.Sprintf("line %d edited", lineOf(i))
	}
	j := c.rng.IntN(n + 1)
	e.insert(j, e.repeatOf(i))
	return fmt.Sprintf("key of line %d repeated at line %d", lineOf(i), lineOf(j))
}

// undo restores the export as it was before the last edit.
func (c *changer) undo() {
	if c.saved == nil {
		c.e.t.Fatal("a run was refused with no edit to undo")
	}
	s := c.saved
	c.e.rows, c.e.hist.removed, c.e.hist.gone, c.inFlight = s.rows, s.removed, s.gone, s.inFlight
	c.saved = nil
	c.e.write()
}
