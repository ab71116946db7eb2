package importer_test

import (
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// sampleAttrs are the custom attributes of samples/mapping-csv.yaml, which
// a strict store defines before the import, as an administrator would.
var sampleAttrs = []string{"department", "vip_level", "newsletter"}

// forEachStore runs f as a subtest against cfg's emulator in the lenient
// store (cfg as given) and in the strict one (emulator.StrictSettings: a
// replacing UpdateUser, the strong password policy, which refuses the
// samples' weak passwords, users created NOT_ENABLED, only the samples'
// custom attributes defined).
func forEachStore(t *testing.T, cfg emulator.Config, f func(t *testing.T, cfg emulator.Config, strict bool)) {
	t.Run("lenient", func(t *testing.T) { f(t, cfg, false) })
	strict := cfg
	strict.Store = emulator.StrictSettings()
	strict.Store.CustomAttributes = append([]string{}, sampleAttrs...)
	t.Run("strict", func(t *testing.T) { f(t, strict, true) })
}

// samplesRejected is how many rows of samples/users.csv the mapping
// rejects before any request.
const samplesRejected = 15

// checkStoreRejections asserts that the run's final summary counts the
// samples' rejected rows as the store refuses them: the mapping's alone
// in the lenient store, those plus the weak passwords the strict store's
// policy refused (reported rejected, never created, never retried).
func checkStoreRejections(t *testing.T, sum *importer.Summary, strict bool) {
	t.Helper()
	n := sum.Counts.Of(outcome.Rejected)
	if strict && n <= samplesRejected {
		t.Errorf("%d rows rejected in the strict store, want more than the mapping's %d: its password policy refuses weak ones", n, samplesRejected)
	}
	if !strict && n != samplesRejected {
		t.Errorf("%d rows rejected in the lenient store, want the mapping's %d", n, samplesRejected)
	}
}
