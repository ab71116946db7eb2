package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ciam-import/ciam-import/importer/report"
)

// maxSendsPerBegin is how many CreateUser calls one journaled begin may be
// followed by: the CreateUser sink sends at most 3 times after in-doubt answers
// (importer.maxSends), and the emulator is told to inject no retryable
// CreateUser error, so the pacer never repeats a call.
const maxSendsPerBegin = 3

// emulatorStats is the body of GET /_emulator/stats.
type emulatorStats struct {
	Requests, Admitted, RateLimited        int64
	InjectedErrors, Dropped, LostResponses int64
	Created                                int64
	Errors                                 map[string]int64
	MaxAdmittedPerSecond                   map[string]int
}

// callFigures are what the emulator saw of CreateUser calls.
type callFigures struct {
	stats         emulatorStats
	admitted      int         // CreateUser calls admitted
	perIdentity   map[int]int // calls per identity -> identities
	alreadyExists int64       // calls answered AlreadyExists
	resends       int64       // calls that met a user already there
	maxCalls      int
}

// checkCalls counts CreateUser calls per identity and holds them to the
// write-ahead rule: no call without a durable begin before it.
func (j *chaosJob) checkCalls(t *testing.T) callFigures {
	t.Helper()
	f := callFigures{perIdentity: map[int]int{}}
	j.em.debug(t, "stats", &f.stats)
	var adm struct{ Admitted []json.RawMessage }
	j.em.debug(t, "admitted?action=CreateUser", &adm)
	f.admitted = len(adm.Admitted)
	for code, n := range f.stats.Errors {
		if strings.HasSuffix(code, "AlreadyExists") {
			f.alreadyExists += n
		}
	}
	begins, complete := journalOf(j.stateDir).begins(t)
	if !complete {
		t.Logf("the journal was rotated: begins of its deleted generations are not counted")
	}
	calls := j.callsPerIdentity(t)
	sum := 0
	errs := &errLimit{t: t, max: 10}
	defer errs.flush()
	for _, w := range j.in.rows {
		if w.rejectField != "" {
			continue
		}
		n := calls[w.userName]
		sum += n
		f.perIdentity[n]++
		f.maxCalls = max(f.maxCalls, n)
		if n > maxSendsPerBegin*begins[w.line] && complete {
			errs.Errorf("line %d (%s): %d CreateUser calls for %d journaled begins: a call was sent without a durable begin",
				w.line, w.userName, n, begins[w.line])
		}
	}
	if sum != f.admitted {
		t.Errorf("calls per identity add up to %d, the emulator admitted %d CreateUser calls", sum, f.admitted)
	}
	// Every call created a user, was dropped before any work, or met its
	// user already there (a resend): the emulator injects nothing else into
	// CreateUser. A resend is answered AlreadyExists, unless its answer was
	// one of those lost.
	f.resends = int64(f.admitted-j.in.valid) - f.stats.Dropped
	if f.resends < f.alreadyExists || f.resends > f.alreadyExists+f.stats.LostResponses {
		t.Errorf("%d calls beyond one per user and %d dropped leave %d resends, but %d were answered AlreadyExists (%d answers lost)",
			f.admitted-j.in.valid, f.stats.Dropped, f.resends, f.alreadyExists, f.stats.LostResponses)
	}
	// A resend is a call made after an earlier one had done its work: only a
	// call cut off by a kill, still running in the emulator when the next run
	// looked the row up, excuses one.
	if limit := int64(j.kills * j.workers); f.resends > limit {
		t.Errorf("%d CreateUser calls were resent for a user already created; %d kills x %d workers allow %d",
			f.resends, j.kills, j.workers, limit)
	}
	return f
}

// callsPerIdentity asks the emulator how many CreateUser calls carried each
// valid row's user name.
func (j *chaosJob) callsPerIdentity(t *testing.T) map[string]int {
	t.Helper()
	names := make(chan string)
	var mu sync.Mutex
	out := map[string]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for name := range names {
				var r struct{ CreateCalls int }
				j.em.debug(t, "calls?identity="+url.QueryEscape(name), &r)
				mu.Lock()
				out[name] = r.CreateCalls
				mu.Unlock()
			}
		})
	}
	for _, w := range j.in.rows {
		if w.rejectField == "" {
			names <- w.userName
		}
	}
	close(names)
	wg.Wait()
	return out
}

// histogram formats calls-per-identity counts, e.g. "1:1480 2:19 3:1".
func histogram(h map[int]int) string {
	keys := make([]int, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d:%d", k, h[k])
	}
	return strings.Join(parts, " ")
}

// checkLedger imports the input again with a new state directory and the
// job's ledger, which must know every user the job created, however its
// runs were killed: the second import must skip every valid row and send
// no CreateUser.
func (j *chaosJob) checkLedger(t *testing.T) {
	t.Helper()
	var before, after struct{ Admitted []json.RawMessage }
	j.em.debug(t, "admitted?action=CreateUser", &before)
	dir := j.stateDir + "-again"
	p := startImport(t, j.importBin, j.logDir, "again", append(j.jobArgs(dir), "--rate", "0", "--progress", "never")...)
	if code := p.wait(t, runDeadline); code != exitOK && code != exitPartial {
		t.Fatalf("a second import with the ledger exited %d; stderr:\n%s", code, readTail(p.stderr))
	}
	j.em.debug(t, "admitted?action=CreateUser", &after)
	skipped := len(readReport(t, filepath.Join(dir, report.SkippedFile)))
	if sent := len(after.Admitted) - len(before.Admitted); sent != 0 || skipped != j.in.valid {
		t.Errorf("a second import with the ledger sent %d CreateUser and skipped %d rows; want 0 sent, %d skipped",
			sent, skipped, j.in.valid)
	}
}
