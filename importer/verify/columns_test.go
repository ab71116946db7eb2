package verify

import (
	"strings"
	"testing"
)

// TestExportColumns: the export asks for every key held reads (so no
// compared or matched field is missing from a line), each under its User
// key; the WeCom and social identifiers only without a legacy-id
// attribute, when sink.Ours matches on them.
func TestExportColumns(t *testing.T) {
	for _, legacy := range []int{0, 2} {
		got := map[string]bool{}
		for _, c := range exportColumns(legacy) {
			if !strings.EqualFold(c.UserPropertyCode, c.ColumnName) {
				t.Errorf("column %s holds %s", c.ColumnName, c.UserPropertyCode)
			}
			got[c.ColumnName] = true
		}
		want := append([]string{"UserId", "Birthdate", "UserGroups", "CustomAttributes"}, heldStrKeys[:hWeComUserID]...)
		if legacy == 0 {
			want = append(want, heldStrKeys[hWeComUserID:]...)
		}
		for _, k := range want {
			if !got[k] {
				t.Errorf("legacy %d: no column %s", legacy, k)
			}
		}
		if len(got) != len(want) {
			t.Errorf("legacy %d: %d columns, want %d", legacy, len(got), len(want))
		}
	}
}
