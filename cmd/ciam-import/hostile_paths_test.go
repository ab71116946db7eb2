package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
)

// foreignParent makes h.dir/theirs, a symbolic link owned by another user
// (uid 4242; only root can make one) to h.dir/victim, and returns it.
func (h *hostileEnv) foreignParent() string {
	h.t.Helper()
	if os.Geteuid() != 0 {
		h.t.Skip("making a link owned by another user needs root")
	}
	mkdir(h.t, h.path("victim"), 0o700)
	link := h.path("theirs")
	symlink(h.t, h.path("victim"), link)
	if err := os.Lchown(link, 4242, 4242); err != nil {
		h.t.Fatal(err)
	}
	return link
}

// pathCases: another user's symbolic link as a parent of --state-dir,
// validate's --report-dir or --ledger is refused before anything is
// created through it (the leaf alone was checked before).
func pathCases() []hostileCase {
	nothingInVictim := func(t *testing.T, h *hostileEnv, r binRun) {
		if entries, _ := os.ReadDir(h.path("victim")); len(entries) != 0 {
			t.Errorf("%d entries were created in the other user's directory", len(entries))
		}
		if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != 0 {
			t.Errorf("a refused run created %d users", n)
		}
	}
	want := []string{"theirs, which is a symbolic link owned by uid 4242"}
	return []hostileCase{
		{item: 21, name: "another user's link as a parent of --state-dir",
			do: func(h *hostileEnv) binRun {
				h.state = filepath.Join(h.foreignParent(), "jobs", "state")
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitError, stderr: want, check: nothingInVictim},
		{item: 21, name: "another user's link as a parent of validate's --report-dir",
			do: func(h *hostileEnv) binRun {
				dir := filepath.Join(h.foreignParent(), "check")
				return h.run("validate", "--input", h.write("users.csv", hostileCSV(2)), "--mapping", h.write("mapping.yaml", hostileMapping), "--report-dir", dir)
			},
			code: -1, stderr: want,
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if r.code == exitOK {
					t.Errorf("exit 0, want a refusal")
				}
				nothingInVictim(t, h, r)
			}},
		{item: 21, name: "another user's link as a parent of --ledger",
			do: func(h *hostileEnv) binRun {
				link := h.foreignParent()
				mkdir(h.t, h.path("victim/sub"), 0o700)
				ledger := filepath.Join(link, "sub", "ledger.db")
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping), "--ledger", ledger)...)
			},
			code: -1, stderr: want,
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if r.code == exitOK {
					t.Errorf("exit 0, want a refusal")
				}
				if _, err := os.Lstat(h.path("victim/sub/ledger.db")); !os.IsNotExist(err) {
					t.Errorf("the ledger was made in the other user's directory: %v", err)
				}
			}},
	}
}
