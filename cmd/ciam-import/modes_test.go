package main

import (
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
)

// storeMode is a user store the end-to-end suites run against: the lenient
// emulator of before, or the strict one (StrictSettings: a real store's
// documented defaults) with the custom attributes the suite's mapping
// carries defined, as an administrator would before an import.
type storeMode struct {
	name   string
	strict bool
	store  emulator.StoreSettings
}

// storeModes is {lenient, strict}; attrs are the custom attributes the
// strict store defines (samples/mapping-csv.yaml: department, vip_level,
// newsletter).
func storeModes(attrs ...string) []storeMode {
	strict := emulator.StrictSettings()
	strict.CustomAttributes = append([]string{}, attrs...)
	return []storeMode{{"lenient", false, emulator.StoreSettings{PlaintextEnum: emulator.DefaultPlaintextEnum}}, {"strict", true, strict}}
}

// sampleAttrs are the custom attributes of samples/mapping-csv.yaml.
var sampleAttrs = []string{"department", "vip_level", "newsletter"}

// config is the demo configuration in this mode.
func (m storeMode) config() emulator.Config {
	cfg := emulator.DemoConfig()
	cfg.Store = m.store
	return cfg
}

// forEachMode runs f as a subtest in each store mode.
func forEachMode(t *testing.T, attrs []string, f func(t *testing.T, m storeMode)) {
	for _, m := range storeModes(attrs...) {
		t.Run(m.name, func(t *testing.T) { f(t, m) })
	}
}
