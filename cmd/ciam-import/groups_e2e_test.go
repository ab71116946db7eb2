package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// groupsInput holds groups by name: staff and admins exist in the
// emulator, ghosts does not.
const groupsInput = `legacy_id,login,email,mobile,password,groups
g1,ann,ann@example.com,13800138001,Secret-Pass-1,staff
g2,bob,bob@example.com,13800138002,Secret-Pass-2,staff; admins
g3,cid,cid@example.com,13800138003,Secret-Pass-3,ghosts;staff
g4,dee,dee@example.com,13800138004,Secret-Pass-4,ghosts
`

// groupsMapping takes UserGroup by name; missing is "" or "create".
func groupsMapping(missing string) string {
	m := `version: 1
key: legacy_id
fields:
  UserName: login
  Email: email
  PhoneNumber: { from: mobile, phone: { default_region: CN } }
  Password: { from: password }
  IndexedAttribute1: legacy_id
  UserGroup: { from: groups, split: ";", transforms: [trim], by: name`
	if missing != "" {
		m += ", missing: " + missing
	}
	return m + " }\n"
}

// groupsEnv is an emulator whose demo groups are named staff, admins and
// ops, and a directory holding the input.
func groupsEnv(t *testing.T) (*emulator.Running, string, string) {
	cfg := emulator.DemoConfig()
	cfg.Rate = 0
	cfg.UserGroupNames = map[string]string{emulator.DemoUserGroups[0]: "staff", emulator.DemoUserGroups[1]: "admins", emulator.DemoUserGroups[2]: "ops"}
	em := startInProcessEmulator(t, cfg)
	base := t.TempDir()
	input := filepath.Join(base, "users.csv")
	if err := os.WriteFile(input, []byte(groupsInput), 0o600); err != nil {
		t.Fatal(err)
	}
	return em, base, input
}

// groupsOf is the group ids of each user of the store, by legacy id.
func groupsOf(em *emulator.Running) map[string][]string {
	out := map[string][]string{}
	for _, u := range em.Server.Users(emulator.DemoUserStore) {
		out[derefTrim(u.IndexedAttribute1)] = u.UserGroups
	}
	return out
}

// Issue 22: UserGroup by name. Names resolve to the ids ListUserGroups
// gives; a name no group has rejects its row, naming the group and the
// field, and nothing is created.
func TestGroupsByNameReject(t *testing.T) {
	em, base, input := groupsEnv(t)
	mp := filepath.Join(base, "mapping.yaml")
	if err := os.WriteFile(mp, []byte(groupsMapping("")), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "state")
	code, _ := runCapture(t, "run", "run", "--input", input, "--mapping", mp, "--user-store-id", emulator.DemoUserStore,
		"--state-dir", dir, "--endpoint", em.URL, "--rate", "0", "--progress", "never")
	if code != exitPartial {
		t.Fatalf("exit %d, want %d (rows rejected)", code, exitPartial)
	}
	checkCounts(t, dir, map[string]int{outcome.Created.File: 2, outcome.Rejected.File: 2})
	for key, reason := range reportColumn(t, filepath.Join(dir, outcome.Rejected.File), "key", "reason") {
		if !strings.Contains(reason, `no CIAM user group is named "ghosts"`) {
			t.Errorf("%s rejected for %q, want it to name the group ghosts", key, reason)
		}
	}
	fields := reportColumn(t, filepath.Join(dir, outcome.Rejected.File), "key", "field")
	if fields["g3"] != "UserGroup" {
		t.Errorf("rejected field %q, want UserGroup", fields["g3"])
	}
	got := groupsOf(em)
	if !slices.Equal(got["g1"], emulator.DemoUserGroups[:1]) || !slices.Equal(got["g2"], emulator.DemoUserGroups[:2]) {
		t.Errorf("groups of g1, g2: %v, %v; want the ids of staff, and staff and admins", got["g1"], got["g2"])
	}
	if n := len(em.Server.Admitted("CreateUserGroup")); n != 0 {
		t.Errorf("%d CreateUserGroup with missing: reject", n)
	}
}

// missing: create makes ghosts once, before the first row that needs it,
// and a run stopped after one row (--max-rows) and resumed creates it no
// second time.
func TestGroupsByNameCreateOnceAcrossResume(t *testing.T) {
	em, base, input := groupsEnv(t)
	mp := filepath.Join(base, "mapping.yaml")
	if err := os.WriteFile(mp, []byte(groupsMapping("create")), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "state")
	args := []string{"run", "--input", input, "--mapping", mp, "--user-store-id", emulator.DemoUserStore,
		"--state-dir", dir, "--endpoint", em.URL, "--rate", "0", "--progress", "never"}
	if code, _ := runCapture(t, "first", append(args, "--max-rows", "1")...); code == exitOK || code == exitPartial {
		t.Fatalf("the run stopped by --max-rows 1 exited %d", code)
	}
	if code, _ := runCapture(t, "resume", "run", "--state-dir", dir, "--endpoint", em.URL); code != exitOK {
		t.Fatalf("the resume exited %d, want %d", code, exitOK)
	}
	if n := len(em.Server.Admitted("CreateUserGroup")); n != 1 {
		t.Errorf("%d CreateUserGroup admitted, want 1 (ghosts, once)", n)
	}
	checkCounts(t, dir, map[string]int{outcome.Created.File: 4})
	got := groupsOf(em)
	ghost := got["g4"]
	if len(ghost) != 1 || slices.Contains(emulator.DemoUserGroups, ghost[0]) {
		t.Fatalf("g4 is in %v, want the one new group", ghost)
	}
	if want := []string{ghost[0], emulator.DemoUserGroups[0]}; !slices.Equal(got["g3"], want) {
		t.Errorf("g3 is in %v, want %v (ghosts, staff)", got["g3"], want)
	}
}

// Group names are resolved under the state directory's lock, after every
// check of the state: a run locked out by another, or a resume refused
// because the input changed, lists no group and creates none.
func TestGroupsByNameResolvedUnderTheLock(t *testing.T) {
	em, base, input := groupsEnv(t)
	mp := filepath.Join(base, "mapping.yaml")
	if err := os.WriteFile(mp, []byte(groupsMapping("create")), 0o600); err != nil {
		t.Fatal(err)
	}
	args := func(dir string) []string {
		return []string{"run", "--input", input, "--mapping", mp, "--user-store-id", emulator.DemoUserStore,
			"--state-dir", dir, "--endpoint", em.URL, "--rate", "0", "--progress", "never"}
	}
	requests := func() int {
		return len(em.Server.Admitted("ListUserGroups")) + len(em.Server.Admitted("CreateUserGroup"))
	}

	locked := filepath.Join(base, "locked")
	if err := os.MkdirAll(locked, 0o700); err != nil {
		t.Fatal(err)
	}
	lock, err := state.Lock(locked, state.LockInfo{PID: 1, Host: "elsewhere", Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	code, _ := runCapture(t, "locked out", args(locked)...)
	lock.Unlock()
	if code != exitLocked {
		t.Fatalf("a run on a locked state directory exited %d, want %d", code, exitLocked)
	}
	if n := requests(); n != 0 {
		t.Errorf("the run locked out sent %d group requests, want none", n)
	}

	dir := filepath.Join(base, "state")
	if code, _ := runCapture(t, "first", append(args(dir), "--max-rows", "2")...); code == exitOK || code == exitPartial {
		t.Fatalf("the run stopped by --max-rows 2 exited %d", code)
	}
	before := requests()
	if err := os.WriteFile(input, []byte(strings.Replace(groupsInput, "g1,ann", "g0,ann", 1)), 0o600); err != nil { // a row before the cursor changed
		t.Fatal(err)
	}
	if code, _ := runCapture(t, "refused", "run", "--state-dir", dir, "--endpoint", em.URL); code != exitUsage {
		t.Fatalf("the resume over a changed input exited %d, want %d (refused)", code, exitUsage)
	}
	if n := requests() - before; n != 0 {
		t.Errorf("the refused resume sent %d group requests, want none", n)
	}
}
