package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/state"
)

// checkIdentity asserts the invariants of a job whose source changed
// between runs, after any step; done says the job is finished (main pass
// done, nothing retryable left), when every row must have been settled:
//
//   - every row of the input is in exactly one report: a legacy key in k
//     rows of the input is in at least k report rows (done) and at most k
//     plus the rows of that key the input lost since; a key the input no
//     longer has is in at most as many report rows as rows of it were
//     removed, and in none if it was removed before any run read it;
//   - a row in flight at a kill that the source then dropped is settled
//     exactly once (done), by its journaled key, saying the source no
//     longer has it (Local.SourceGone);
//   - each legacy key has at most one CIAM user of ours, and each user of
//     ours is the one a report names for its key (done); a user reported
//     created holds its row's values, or the values its row had when it
//     was settled if the row was edited where no run reads it again;
//   - the users of another source, seeded first, are exactly as they were.
func checkIdentity(t *testing.T, e *idEnv, step string, done bool) {
	t.Helper()
	errs := &errLimit{t: t, max: 12}
	defer errs.flush()
	reports := readIdentityReports(t, e.stateDir)
	e.checkReportCounts(errs, step, reports, done)
	e.checkGone(errs, step, reports, done)
	e.checkUsersByKey(errs, step, reports, done)
	e.checkForeign(errs, step)
}

// idReportRow is one row of a report: the report, its key and user id.
type idReportRow struct {
	file, key, userID, code string
}

// readIdentityReports reads every report of dir (none before a first run).
func readIdentityReports(t *testing.T, dir string) []idReportRow {
	t.Helper()
	var out []idReportRow
	for _, name := range report.Files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil || len(recs) == 0 {
			t.Fatalf("%s: %v (%d records)", name, err, len(recs))
		}
		col := map[string]int{"user_id": -1, "code": -1}
		for i, c := range recs[0] {
			col[c] = i
		}
		for _, r := range recs[1:] {
			row := idReportRow{file: name, key: r[col["key"]]}
			if i := col["user_id"]; i >= 0 {
				row.userID = r[i]
			}
			if i := col["code"]; i >= 0 {
				row.code = r[i]
			}
			out = append(out, row)
		}
	}
	return out
}

func (e *idEnv) checkReportCounts(errs *errLimit, step string, reports []idReportRow, done bool) {
	inInput := map[string]int{}
	for _, r := range e.rows {
		inInput[r[0]]++
	}
	inReports := map[string][]string{}
	for _, r := range reports {
		inReports[r.key] = append(inReports[r.key], r.file)
	}
	for k, n := range inInput {
		got := len(inReports[k])
		if got > n+e.hist.removed[k] || (done && got < n) {
			errs.Errorf("%s: key %s: %d rows in the input (%d removed), in %d report rows %v", step, k, n, e.hist.removed[k], got, inReports[k])
		}
	}
	for k, files := range inReports {
		if inInput[k] == 0 && len(files) > e.hist.removed[k] {
			errs.Errorf("%s: key %s, in no row of the input (%d removed), is in %d report rows %v", step, k, e.hist.removed[k], len(files), files)
		}
		if inInput[k] == 0 && e.hist.unread[k] && len(files) > 0 {
			errs.Errorf("%s: key %s, removed before any run read it, is in report rows %v", step, k, files)
		}
	}
}

// checkGone asserts each row dropped while in flight is settled once, by
// its key, with a message saying the source no longer has it: the
// reports hold the key once, the journal one settle of Local.SourceGone.
func (e *idEnv) checkGone(errs *errLimit, step string, reports []idReportRow, done bool) {
	if len(e.hist.gone) == 0 {
		return
	}
	settles := map[string][]state.Entry{}
	r := journalOf(e.stateDir)
	for _, g := range r.gens() {
		state.ReplayJournal(r.dir.JournalGen(g), 0, func(en state.Entry, _ int64) error {
			if en.Op == state.OpSettle && en.Code == sink.CodeSourceGone {
				settles[en.Key] = append(settles[en.Key], en)
			}
			return nil
		})
	}
	count := map[string]int{}
	for _, r := range reports {
		count[r.key]++
	}
	complete := len(r.gens()) == 0 || r.gens()[0] == 0
	for k := range e.hist.gone {
		if count[k] > 1 || (done && count[k] != 1) {
			errs.Errorf("%s: key %s, in flight at a kill and then dropped by the source, is in %d report rows, want 1", step, k, count[k])
		}
		s := settles[k]
		switch {
		case len(s) > 1:
			errs.Errorf("%s: key %s was settled %d times as gone from the source", step, k, len(s))
		case done && complete && len(s) == 0:
			errs.Errorf("%s: key %s, dropped while in flight, was never settled as gone from the source (%s)", step, k, sink.CodeSourceGone)
		case len(s) == 1 && !strings.Contains(s[0].Message, "no longer has"):
			errs.Errorf("%s: key %s settled as gone with message %q; it does not say the source no longer has it", step, k, s[0].Message)
		}
	}
}

// checkUsersByKey asserts CIAM holds at most one user of ours per legacy
// key, that every created or skipped row names a user of its own key, and
// (done) that every user of ours is the one the reports name for its key.
func (e *idEnv) checkUsersByKey(errs *errLimit, step string, reports []idReportRow, done bool) {
	byKey := map[string][]string{}
	byID := map[string]string{}
	for _, u := range e.em.Server.Users(e.store) {
		if u.IndexedAttribute1 == nil { // not ours: checked by checkForeign
			continue
		}
		k := strings.TrimSpace(*u.IndexedAttribute1)
		byKey[k] = append(byKey[k], u.UserId)
		byID[u.UserId] = k
	}
	for k, ids := range byKey {
		if len(ids) > 1 {
			errs.Errorf("%s: legacy key %s has %d CIAM users %v", step, k, len(ids), ids)
		}
	}
	named := map[string]bool{}
	for _, r := range reports {
		if r.userID == "" {
			continue
		}
		named[r.userID] = true
		if k, ok := byID[r.userID]; !ok || k != r.key {
			errs.Errorf("%s: %s names user %s for key %s; CIAM holds no user of ours by that id (%v) or holds it under key %q (another source's: %v)",
				step, r.file, r.userID, r.key, ok, k, e.hist.foreign[r.userID] != "")
		}
	}
	e.checkContent(errs, step, reports)
	for id, k := range byID {
		if done && !named[id] {
			errs.Errorf("%s: CIAM user %s of legacy key %s is named by no report", step, id, k)
		}
	}
}

// checkForeign asserts the other source's users are as they were seeded.
func (e *idEnv) checkForeign(errs *errLimit, step string) {
	now := map[string]string{}
	for _, u := range e.em.Server.Users(e.store) {
		if _, ok := e.hist.foreign[u.UserId]; ok {
			b, _ := json.Marshal(u)
			now[u.UserId] = string(b)
		}
	}
	for id, was := range e.hist.foreign {
		if now[id] != was {
			errs.Errorf("%s: user %s of another source was touched:\nwas %s\nnow %s", step, id, was, now[id])
		}
	}
}

// checkContent asserts that a key in one row of the input, reported created
// once, has the user that row maps to: its user name and email, as an
// uninterrupted run over this input would have created it.
func (e *idEnv) checkContent(errs *errLimit, step string, reports []idReportRow) {
	rowOf, n := map[string][]string{}, map[string]int{}
	for _, r := range e.rows {
		rowOf[r[0]] = r
		n[r[0]]++
	}
	for k, r := range e.hist.stale { // edited after it was settled: CIAM keeps what was sent
		rowOf[k] = r
	}
	files := map[string][]idReportRow{}
	for _, r := range reports {
		files[r.key] = append(files[r.key], r)
	}
	users := map[string]emulator.User{}
	for _, u := range e.em.Server.Users(e.store) {
		users[u.UserId] = u
	}
	for k, rs := range files {
		if n[k] != 1 || len(rs) != 1 || rs[0].file != report.CreatedFile {
			continue
		}
		u, row := users[rs[0].userID], rowOf[k]
		login, email := strings.ToLower(strings.TrimSpace(row[1])), strings.ToLower(strings.TrimSpace(row[2]))
		if deref(u.UserName) != login || deref(u.Email) != email {
			errs.Errorf("%s: key %s is reported created as user %s, which holds %q %q; the input's row is %q %q",
				step, k, rs[0].userID, deref(u.UserName), deref(u.Email), login, email)
		}
	}
}
