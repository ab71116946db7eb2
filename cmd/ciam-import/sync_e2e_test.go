package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ledger"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/mapping"
)

// syncMapping maps the sourcetest columns, with the legacy id in
// IndexedAttribute1 so that "ours" is decided by it.
const syncMapping = `version: 1
key: legacy_id
fields:
  UserName: { from: login, transforms: [trim, lower] }
  Email: { from: email, transforms: [trim, lower] }
  PhoneNumber: { from: mobile, phone: { default_region: CN, format: ciam } }
  Password: { from: password }
  Nickname: { template: "{{.first_name}} {{.last_name}}", transforms: [collapse_spaces, {truncate: 32}] }
  UserGroup:
    from: groups
    split: ";"
    transforms: [trim, lower, {default: customers}]
    lookup:
      table:
        admins: 6cd22e51a1b24c0f9d8e7f6a5b4c3d21
        staff: 8bee9039509c4c3c80b26fbb8cacedb9
        customers: 2f1e0d9c8b7a46958473625140fedcba
  Birthdate: { from: birthday, date: { layout: "2006-01-02", timezone: Asia/Shanghai } }
  IndexedAttribute1: legacy_id
  CustomizationAttributes:
    - { name: department, from: dept, transforms: [trim] }
`

const syncSeed = 11

// night 2's export: 5 % of the rows changed, 1 % new, 1 % removed, and as
// many rows new to CIAM whose email belongs to a removed user (not ours:
// its legacy id is another one).
func changed(i int) bool { return i%20 == 3 }
func removed(i int) bool { return i%100 == 50 }

// exportChanges names the fields (as the emulator's User spells them in
// JSON) that night 2's export changes in row i: what the test itself
// edits, not what the importer reports.
func exportChanges(i int) []string {
	if !changed(i) {
		return nil
	}
	fields := []string{"CustomAttributes"}
	if i%40 == 3 {
		fields = append(fields, "Nickname")
	}
	if i == 283 {
		fields = append(fields, "Email")
	}
	return fields
}

// removedRows are the rows of night 1's export of n rows that night 2 drops.
func removedRows(n int) []int {
	var out []int
	for i := range n {
		if removed(i) {
			out = append(out, i)
		}
	}
	return out
}

// night2 returns the rows of the second night's export of n rows.
func night2(n int) [][]string {
	var rows [][]string
	for i := range n {
		if removed(i) {
			continue
		}
		r := sourcetest.Row(syncSeed, i)
		if changed(i) {
			r[8] = fmt.Sprintf("Night 2 dept %d", i) // CustomizationAttributes
			if i%40 == 3 {
				r[4] = "Renamed" // Nickname
			}
			if i == 283 {
				r[2] = "changed283@example.com" // Email
			}
		}
		rows = append(rows, r)
	}
	for i := n; i < n+3; i++ { // new
		rows = append(rows, sourcetest.Row(syncSeed, i))
	}
	for k, victim := range removedRows(n) { // collide with users not ours
		r := sourcetest.Row(syncSeed, n+100+k)
		r[2] = sourcetest.Row(syncSeed, victim)[2]
		rows = append(rows, r)
	}
	return rows
}

// The README's nightly cron, three nights, through the command: one shared
// --ledger, a new state directory per night, --on-conflict update. Night 1
// creates every user; night 2 sends UpdateUser for the changed rows only
// (with 30 % of the update answers lost; a row whose every attempt
// lost its answer is left retryable and sent again by `retry`), CreateUser for the new ones, reports
// the collisions with users not ours without touching those users, and
// lists the removed users in missing.csv; night 3, with the collisions
// fixed at the source, sends no request at all. After each night the
// emulator holds what the mapping of that night's export says. In the
// lenient store (300 rows) and in the strict one (200 rows), whose
// UpdateUser replaces: there every field of an updated user that the
// export did not change still holds what night 1 stored (issue 20).
func TestNightlySyncThreeNights(t *testing.T) {
	sizes := map[string]syncSize{"lenient": {rows: 300, lose: 0.3}, "strict": {rows: 200, lose: 0.5}}
	forEachMode(t, []string{"department"}, func(t *testing.T, m storeMode) {
		testNightlySync(t, m, sizes[m.name])
	})
}

// syncSize is the size of a nightly sync: rows in night 1's export, and
// the share of night 2's UpdateUser answers lost (high enough that, with
// rows/20 updates, some answer is lost on every run).
type syncSize struct {
	rows int
	lose float64
}

func testNightlySync(t *testing.T, m storeMode, size syncSize) {
	syncRows := size.rows
	cfg := m.config()
	cfg.Rate, cfg.Seed = 0, 7
	em, err := emulator.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer em.Close()
	t.Setenv("TENCENTCLOUD_SECRET_ID", emulator.DemoSecretID)
	t.Setenv("TENCENTCLOUD_SECRET_KEY", emulator.DemoSecretKey)
	base := t.TempDir()
	mappingPath, spec := writeSyncMapping(t, base)
	ledger := filepath.Join(base, "ledger.db")
	night := func(n int, rows [][]string) (dir string, code int, requests int64) {
		input := filepath.Join(base, fmt.Sprintf("users-night%d.csv", n))
		writeRows(t, input, rows)
		dir = filepath.Join(base, fmt.Sprintf("state-night%d", n))
		before := em.Server.Stats().Requests
		code = runQuiet(t, []string{"run", "--input", input, "--mapping", mappingPath, "--user-store-id", emulator.DemoUserStore,
			"--state-dir", dir, "--ledger", ledger, "--endpoint", em.URL, "--rate", "0", "--progress", "never",
			"--on-conflict", "update", "--report-missing"})
		return dir, code, em.Server.Stats().Requests - before
	}

	var rows1 [][]string
	for i := range syncRows {
		rows1 = append(rows1, sourcetest.Row(syncSeed, i))
	}
	dir1, code, _ := night(1, rows1)
	if code != exitOK {
		t.Fatalf("night 1 exited %d", code)
	}
	checkCounts(t, dir1, map[string]int{outcome.Created.File: syncRows})
	checkMatchesExport(t, em, spec, rows1, nil)
	stored1 := storedByKey(t, em)

	rows2 := night2(syncRows)
	victimRows := removedRows(syncRows)
	if err := em.Server.SetFaults(emulator.Faults{Updates: emulator.FaultSpec{LoseResponseRate: size.lose}}); err != nil {
		t.Fatal(err)
	}
	updatesBefore := len(em.Server.Admitted("UpdateUser"))
	dir2, code, _ := night(2, rows2)
	for pass := 0; code == exitRetryable && pass < 5; pass++ {
		code = runQuiet(t, []string{"retry", "--state-dir", dir2, "--progress", "never"})
	}
	if code != exitPartial { // the collisions
		t.Fatalf("night 2 exited %d, want %d (conflicts)", code, exitPartial)
	}
	if em.Server.Stats().LostResponses == 0 {
		t.Error("no UpdateUser answer was lost: the fault did not happen")
	}
	nChanged := 0
	for i := range syncRows {
		if changed(i) {
			nChanged++
		}
	}
	nVictims := len(victimRows)
	checkCounts(t, dir2, map[string]int{outcome.Updated.File: nChanged, outcome.Created.File: 3, outcome.Conflict.File: nVictims,
		outcome.Skipped.File: syncRows - nVictims - nChanged})
	if sent := len(em.Server.Admitted("UpdateUser")) - updatesBefore; sent < nChanged {
		t.Errorf("%d UpdateUser admitted, want at least the %d changed rows", sent, nChanged)
	}
	fields := reportColumn(t, filepath.Join(dir2, outcome.Updated.File), "key", "fields")
	for i, want := range map[int]string{3: "Nickname;CustomizationAttributes", 23: "CustomizationAttributes", 283: "Email;Nickname;CustomizationAttributes"} {
		if i >= syncRows {
			continue
		}
		if got := fields[sourcetest.Row(syncSeed, i)[0]]; got != want {
			t.Errorf("row %d: updated fields %q, want %q", i, got, want)
		}
	}
	colliders := rows2[len(rows2)-nVictims:]
	checkMatchesExport(t, em, spec, rows2[:len(rows2)-nVictims], colliders)
	checkUnchangedFieldsKept(t, stored1, storedByKey(t, em), syncRows)
	// The users the colliding rows met are untouched: they still hold night 1's row.
	var victims [][]string
	for _, i := range victimRows {
		victims = append(victims, rows1[i])
	}
	checkMatchesExport(t, em, spec, victims, nil)
	missing := reportColumn(t, filepath.Join(dir2, "missing.csv"), "key", "user_id")
	if len(missing) != nVictims {
		t.Errorf("missing.csv lists %d keys, want the %d removed rows: %v", len(missing), nVictims, missing)
	}
	for _, v := range victims {
		if missing[v[0]] == "" {
			t.Errorf("removed row %s is not in missing.csv", v[0])
		}
	}

	if err := em.Server.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	rows3 := rows2[:len(rows2)-nVictims] // the collisions fixed at the source: each would cost a CreateUser a night
	dir3, code, requests := night(3, rows3)
	if code != exitOK {
		t.Fatalf("night 3 exited %d", code)
	}
	if requests != 0 {
		t.Errorf("night 3 sent %d requests, want 0 (%+v)", requests, em.Server.Stats())
	}
	checkCounts(t, dir3, map[string]int{outcome.Skipped.File: len(rows3)})
	reasons := reportColumn(t, filepath.Join(dir3, outcome.Skipped.File), "key", "reason")
	if r := reasons[rows3[0][0]]; !strings.HasPrefix(r, "unchanged since ") {
		t.Errorf("skipped reason %q, want \"unchanged since <date>\"", r)
	}
	checkMatchesExport(t, em, spec, rows3, nil)
	if n := len(em.Server.Users(emulator.DemoUserStore)); n != syncRows+3 {
		t.Errorf("the emulator holds %d users, want %d: nothing is deleted, nothing created twice", n, syncRows+3)
	}
}

// writeSyncMapping writes syncMapping into dir and parses it.
func writeSyncMapping(t *testing.T, dir string) (string, *mapping.Spec) {
	t.Helper()
	path := filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(path, []byte(syncMapping), 0o600); err != nil {
		t.Fatal(err)
	}
	spec, err := mapping.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, spec
}

// mapRow maps a sourcetest row as the importer does.
func mapRow(t *testing.T, spec *mapping.Spec, r []string) *mapping.User {
	t.Helper()
	row := mapping.Row{}
	for i, c := range sourcetest.Columns {
		row[c] = r[i]
	}
	u, err := spec.Map(row)
	if err != nil {
		t.Fatalf("map %s: %v", r[0], err)
	}
	return u
}

func writeRows(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.Write(sourcetest.Columns)
	_ = w.WriteAll(rows)
	if err := f.Close(); err != nil || w.Error() != nil {
		t.Fatal(err, w.Error())
	}
}

// checkCounts asserts how many rows each report holds (others: none).
func checkCounts(t *testing.T, dir string, want map[string]int) {
	t.Helper()
	for _, o := range outcome.All {
		got := len(reportColumn(t, filepath.Join(dir, o.File), "line", "line"))
		if got != want[o.File] {
			t.Errorf("%s: %d rows, want %d", o.File, got, want[o.File])
		}
	}
}

// checkMatchesExport asserts that the emulator's user of each row holds
// the row's mapped fields, and that no user has the key of a row of absent.
func checkMatchesExport(t *testing.T, em *emulator.Running, spec *mapping.Spec, rows, absent [][]string) {
	t.Helper()
	byKey := map[string]emulator.User{}
	for _, u := range em.Server.Users(emulator.DemoUserStore) {
		byKey[derefTrim(u.IndexedAttribute1)] = u
	}
	for _, r := range rows {
		mu := mapRow(t, spec, r)
		u, ok := byKey[mu.Key]
		if !ok {
			t.Errorf("no user for key %s", mu.Key)
			continue
		}
		if got, want := emulatorView(u), mappedView(mu); got != want {
			t.Errorf("user %s:\n got %s\nwant %s", mu.Key, got, want)
		}
	}
	for _, r := range absent {
		if _, ok := byKey[r[0]]; ok {
			t.Errorf("a user has the key %s of a row that collided", r[0])
		}
	}
}

func mappedView(u *mapping.User) string {
	var attrs []string
	for _, a := range u.CustomizationAttributes {
		attrs = append(attrs, a.Name+"="+a.Value)
	}
	return fieldsView(u.UserName, u.Email, u.PhoneNumber, u.Nickname, u.IndexedAttributes[0], u.Birthdate, u.UserGroup, attrs)
}

func emulatorView(u emulator.User) string {
	var attrs []string
	for _, a := range u.CustomAttributes {
		attrs = append(attrs, a.Name+"="+a.Value)
	}
	return fieldsView(derefTrim(u.UserName), derefTrim(u.Email), derefTrim(u.PhoneNumber), derefTrim(u.Nickname),
		derefTrim(u.IndexedAttribute1), u.Birthdate, u.UserGroups, attrs)
}

func fieldsView(name, email, phone, nick, idx string, birth *int64, groups, attrs []string) string {
	g, a := slices.Sorted(slices.Values(groups)), slices.Sorted(slices.Values(attrs))
	b := "-"
	if birth != nil {
		b = fmt.Sprint(*birth)
	}
	return fmt.Sprintf("name=%s email=%s phone=%s nick=%s idx=%s birth=%s groups=%v attrs=%v", name, email, phone, nick, idx, b, g, a)
}

// A --ledger that is a symbolic link is refused before any row is read or
// sent (exit 1), and its target is left as it was: another user could
// otherwise hand the job a ledger of theirs.
func TestLedgerThroughASymlinkIsRefused(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Rate = 0
	em := startInProcessEmulator(t, cfg)
	base := t.TempDir()
	mappingPath, _ := writeSyncMapping(t, base)
	input := filepath.Join(base, "users.csv")
	writeRows(t, input, [][]string{sourcetest.Row(syncSeed, 0)})
	victim := filepath.Join(t.TempDir(), "victim.db")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ledger := filepath.Join(base, "ledger.db")
	if err := os.Symlink(victim, ledger); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "--input", input, "--mapping", mappingPath, "--user-store-id", emulator.DemoUserStore,
		"--state-dir", filepath.Join(base, "state"), "--ledger", ledger, "--endpoint", em.URL, "--rate", "0", "--progress", "never"}, &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "symbolic link") {
		t.Errorf("exit %d, want %d with the symbolic link named:\n%s", code, exitError, stderr.String())
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious\n" {
		t.Errorf("the link's target was written: %q", got)
	}
	if n := em.Server.Stats().Requests; n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// lostRows is the size of the export of TestLostUpdateAnswerIsResent.
const lostRows = 80

// An UpdateUser whose answer is lost was applied: the user already holds
// the new values. Until the update settles, the ledger keeps the old
// digests, so a run killed (-9) while it retries such updates leaves the
// rows to be sent again: the next run resends UpdateUser (safe: it sets
// absolute values), reports each row updated once and records the new
// digests, and the night after sends nothing. Through the binary.
func TestLostUpdateAnswerIsResent(t *testing.T) {
	importBin, _ := chaosBinaries(t)
	cfg := emulator.DemoConfig()
	cfg.Rate, cfg.Seed = 0, 9
	em := startInProcessEmulator(t, cfg) // its Close is registered before any process starts
	base := t.TempDir()
	mappingPath, spec := writeSyncMapping(t, base)
	ledger := filepath.Join(base, "ledger.db")
	start := func(name string, rows [][]string) (*importProc, string) {
		input := filepath.Join(base, name+".csv")
		writeRows(t, input, rows)
		dir := filepath.Join(base, name)
		return startImport(t, importBin, base, name, "run", "--input", input, "--mapping", mappingPath,
			"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--ledger", ledger, "--endpoint", em.URL,
			"--rate", "0", "--progress", "never", "--on-conflict", "update"), dir
	}
	var rows1, rows2 [][]string
	var keys []string // of the changed rows
	want := map[string]string{}
	for i := range lostRows {
		r := sourcetest.Row(syncSeed, i)
		rows1 = append(rows1, r)
		if changed(i) {
			r = slices.Clone(r)
			r[8] = fmt.Sprintf("Lost answer dept %d", i) // CustomizationAttributes
			keys = append(keys, r[0])
			want[r[0]] = string(mapRow(t, spec, r).FieldDigests())
		}
		rows2 = append(rows2, r)
	}
	if p, _ := start("night1", rows1); p.wait(t, runDeadline) != exitOK {
		t.Fatalf("night 1 failed:\n%s", readTail(p.stderr))
	}
	night1 := ledgerDigests(t, ledger, keys)

	if err := em.Server.SetFaults(emulator.Faults{Updates: emulator.FaultSpec{LoseResponseRate: 1}}); err != nil {
		t.Fatal(err)
	}
	p, dir2 := start("night2", rows2)
	applied := func() bool { return em.Server.Stats().LostResponses >= int64(len(keys)) }
	if !p.waitUntil(t, runDeadline, "every changed row's UpdateUser applied, its answer lost", applied) {
		t.Fatalf("night 2 exited before its updates were sent:\n%s", readTail(p.stderr))
	}
	if !p.kill(t) {
		t.Fatalf("night 2 ended on its own before the kill:\n%s", readTail(p.stderr))
	}
	checkMatchesExport(t, em, spec, rows2, nil) // the lost answers' updates were applied
	if got := ledgerDigests(t, ledger, keys); !maps.Equal(got, night1) {
		t.Errorf("the ledger's digests of the changed rows moved before their updates settled")
	}

	if err := em.Server.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	updatesBefore := len(em.Server.Admitted("UpdateUser"))
	again := startImport(t, importBin, base, "night2-again", "run", "--state-dir", dir2, "--progress", "never")
	if code := again.wait(t, runDeadline); code != exitOK {
		t.Fatalf("night 2 resumed: exit %d:\n%s", code, readTail(again.stderr))
	}
	if sent := len(em.Server.Admitted("UpdateUser")) - updatesBefore; sent != len(keys) {
		t.Errorf("the resumed night sent %d UpdateUser, want one per changed row (%d)", sent, len(keys))
	}
	checkCounts(t, dir2, map[string]int{outcome.Updated.File: len(keys), outcome.Skipped.File: lostRows - len(keys)})
	updated := reportColumn(t, filepath.Join(dir2, outcome.Updated.File), "key", "fields")
	for _, key := range keys {
		if updated[key] != "CustomizationAttributes" {
			t.Errorf("changed row %s: updated fields %q, want CustomizationAttributes", key, updated[key])
		}
	}
	if got := ledgerDigests(t, ledger, keys); !maps.Equal(got, want) {
		t.Errorf("the ledger does not hold the digests of the updates once they settled")
	}
	checkMatchesExport(t, em, spec, rows2, nil)

	before := em.Server.Stats().Requests
	if p, _ := start("night3", rows2); p.wait(t, runDeadline) != exitOK {
		t.Fatalf("night 3 failed:\n%s", readTail(p.stderr))
	}
	if n := em.Server.Stats().Requests - before; n != 0 {
		t.Errorf("night 3 sent %d requests, want 0", n)
	}
}

// ledgerDigests reads the digests the ledger at path holds for keys.
func ledgerDigests(t *testing.T, path string, keys []string) map[string]string {
	t.Helper()
	l, err := ledger.Open(path, ledger.Binding{UserStoreID: emulator.DemoUserStore, Source: ledger.DefaultSource("legacy_id", 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	out := map[string]string{}
	for _, k := range keys {
		rec, ok, err := l.Get(k)
		if err != nil || !ok {
			t.Fatalf("ledger: key %s: found %v, %v", k, ok, err)
		}
		out[k] = string(rec.Digests)
	}
	return out
}
