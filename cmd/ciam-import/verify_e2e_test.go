package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/mapping"
)

const (
	verifyRows    = 40
	verifySeed    = 21
	verifyChanged = 3 // the row whose user's nickname is changed behind verify's back
	verifyDeleted = 7 // the row whose user is deleted
	verifyExtra   = "legacy-extra"
)

// TestVerifyAfterImport, in the lenient and the strict store: after a
// clean import every row is the same, with a handful of requests; after a
// user was changed, another deleted and one of this source added behind
// the importer's back, exactly those rows are different (naming the
// field), missing and extra. --no-export says the same of the rows by
// lookups and that it cannot look for extras.
func TestVerifyAfterImport(t *testing.T) {
	strict := emulator.StrictSettings()
	strict.CustomAttributes = []string{"department"}
	for _, mode := range []struct {
		name  string
		store emulator.StoreSettings
	}{{"lenient", emulator.StoreSettings{}}, {"strict", strict}} {
		t.Run(mode.name, func(t *testing.T) {
			cfg := emulator.DemoConfig()
			cfg.Rate, cfg.Seed, cfg.Store = 0, 5, mode.store
			cfg.Import.StartDelay = 0
			em := startInProcessEmulator(t, cfg)
			base := t.TempDir()
			mappingPath, spec := writeSyncMapping(t, base)
			input := filepath.Join(base, "users.csv")
			var rows [][]string
			for i := range verifyRows {
				rows = append(rows, sourcetest.Row(verifySeed, i))
			}
			writeRows(t, input, rows)
			dir := filepath.Join(base, "state")
			if code := runQuiet(t, []string{"run", "--input", input, "--mapping", mappingPath, "--user-store-id", emulator.DemoUserStore,
				"--state-dir", dir, "--endpoint", em.URL, "--rate", "0", "--progress", "never"}); code != exitOK {
				t.Fatalf("run exited %d", code)
			}
			verifyArgs := []string{"verify", "--state-dir", dir, "--job-poll", "5ms"}

			before := em.Server.Stats().Requests
			if code := runQuiet(t, verifyArgs); code != exitOK {
				t.Fatalf("verify after a clean import exited %d, want 0", code)
			}
			if n := em.Server.Stats().Requests - before; n > 10 {
				t.Errorf("verify of %d rows sent %d requests, want a handful", verifyRows, n)
			}
			checkVerdicts(t, dir, rows, map[string]string{})

			ids := reportColumn(t, filepath.Join(dir, outcome.Created.File), "key", "user_id")
			behindItsBack(t, em, spec, rows, ids)
			if code := runQuiet(t, verifyArgs); code != exitPartial {
				t.Fatalf("verify after changes exited %d, want %d", code, exitPartial)
			}
			checkVerdicts(t, dir, rows, map[string]string{rows[verifyChanged][0]: "different Nickname",
				rows[verifyDeleted][0]: "missing ", verifyExtra: "extra "})

			if code := runQuiet(t, append(verifyArgs, "--no-export")); code != exitPartial {
				t.Fatalf("verify --no-export exited %d, want %d", code, exitPartial)
			}
			checkVerdicts(t, dir, rows, map[string]string{rows[verifyChanged][0]: "different Nickname",
				rows[verifyDeleted][0]: "missing "})
		})
	}
}

// behindItsBack changes one user (every field sent, so a replacing store
// keeps the rest), deletes another and adds a user of this source that no
// row has, through the emulator's API.
func behindItsBack(t *testing.T, em *emulator.Running, spec *mapping.Spec, rows [][]string, ids map[string]string) {
	t.Helper()
	api, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u := mapRow(t, spec, rows[verifyChanged])
	var attrs []ciam.MemberMap
	for _, a := range u.CustomizationAttributes {
		attrs = append(attrs, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	if _, err := api.UpdateUser(ctx, &ciam.UpdateUserRequest{UserId: ids[u.Key], UserStoreId: emulator.DemoUserStore,
		UserName: u.UserName, Email: u.Email, PhoneNumber: u.PhoneNumber, Nickname: "Changed behind its back",
		UserGroup: u.UserGroup, Birthdate: u.Birthdate, CustomizationAttributes: attrs, IndexedAttribute1: u.Key}); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	if _, err := api.DeleteUsers(ctx, &ciam.DeleteUsersRequest{UserStoreId: emulator.DemoUserStore,
		UserIds: []string{ids[rows[verifyDeleted][0]]}}); err != nil {
		t.Fatalf("DeleteUsers: %v", err)
	}
	extra := mapRow(t, spec, sourcetest.Row(verifySeed, verifyRows+1))
	if _, err := api.CreateUser(ctx, &ciam.CreateUserRequest{UserStoreId: emulator.DemoUserStore, UserName: extra.UserName,
		Email: extra.Email, PhoneNumber: extra.PhoneNumber, Password: extra.Password.Reveal(), IndexedAttribute1: verifyExtra}); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
}

// checkVerdicts asserts verify.csv: every row in input order, "same"
// unless want says "verdict fields" for its key, and the extras of want.
func checkVerdicts(t *testing.T, dir string, rows [][]string, want map[string]string) {
	t.Helper()
	verdicts := reportColumn(t, filepath.Join(dir, "verify.csv"), "key", "verdict")
	fields := reportColumn(t, filepath.Join(dir, "verify.csv"), "key", "fields")
	lines := reportColumn(t, filepath.Join(dir, "verify.csv"), "key", "line")
	for i, r := range rows {
		w, ok := want[r[0]]
		if !ok {
			w = "same "
		}
		if got := verdicts[r[0]] + " " + fields[r[0]]; got != w {
			t.Errorf("row %d (%s): %q, want %q", i, r[0], got, w)
		}
		if lines[r[0]] != strconv.Itoa(i+2) {
			t.Errorf("row %d on line %s, want %d", i, lines[r[0]], i+2)
		}
	}
	for k, w := range want {
		if strings.HasPrefix(w, "extra") && verdicts[k] != "extra" {
			t.Errorf("extra user %s: verdict %q", k, verdicts[k])
		}
	}
	if len(verdicts) != len(rows)+countExtras(want) {
		t.Errorf("verify.csv has %d keys, want %d rows and %d extras", len(verdicts), len(rows), countExtras(want))
	}
}

func countExtras(want map[string]string) int {
	n := 0
	for _, w := range want {
		if strings.HasPrefix(w, "extra") {
			n++
		}
	}
	return n
}
