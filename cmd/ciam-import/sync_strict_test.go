package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

// storedUser is every field the emulator holds for one user, by its JSON
// name (emulator.User), as the API would read it back.
type storedUser map[string]any

// volatileFields change on every UpdateUser whatever it carries.
var volatileFields = []string{"LastModifiedDate", "Version"}

// storedByKey reads every user of the demo store back from the emulator,
// by legacy id (IndexedAttribute1).
func storedByKey(t *testing.T, em *emulator.Running) map[string]storedUser {
	t.Helper()
	out := map[string]storedUser{}
	for _, u := range em.Server.Users(emulator.DemoUserStore) {
		b, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var fields storedUser
		if err := json.Unmarshal(b, &fields); err != nil {
			t.Fatal(err)
		}
		out[derefTrim(u.IndexedAttribute1)] = fields
	}
	return out
}

// checkUnchangedFieldsKept asserts that every field of every user that
// night 2's export changed (rows below n, changed(i)) still holds what
// night 1 stored, except the fields the export changed (exportChanges) and
// the volatile ones: an UpdateUser that replaces must not clear them.
func checkUnchangedFieldsKept(t *testing.T, night1, night2 map[string]storedUser, n int) {
	t.Helper()
	checked := 0
	for i := range n {
		if !changed(i) || removed(i) {
			continue
		}
		key := sourcetest.Row(syncSeed, i)[0]
		before, after := night1[key], night2[key]
		if before == nil || after == nil {
			t.Errorf("row %d (%s): no user after night 1 (%v) or night 2 (%v)", i, key, before != nil, after != nil)
			continue
		}
		skip := append(exportChanges(i), volatileFields...)
		for name, was := range before {
			if slices.Contains(skip, name) {
				continue
			}
			checked++
			if now := after[name]; !reflect.DeepEqual(was, now) {
				t.Errorf("row %d (%s): %s was %v after night 1, is %v after night 2's update, which did not change it", i, key, name, was, now)
			}
		}
	}
	if checked == 0 {
		t.Error("no field of an updated user was checked")
	}
}
