// Package ciamimport holds no code: this file enforces the architecture that
// the packages' docs promise, as a test, so that `make test` fails when an
// import crosses a line.
package ciamimport

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/ciam-import/ciam-import"

// rules: a package (and its non-test dependencies) must not import these.
var rules = []struct {
	pkg       string
	forbidden []string
	why       string
}{
	{"mapping", []string{module + "/importer", module + "/emulator", "net", "net/http", "os/exec"},
		"mapping is pure: no network, no importer, no emulator"},
	{"importer/...", []string{module + "/emulator", module + "/cmd"},
		"the importer must not depend on the emulator or the commands"},
	{"importer/ciam", []string{module + "/mapping", module + "/importer/state", module + "/importer/report"},
		"the client edge knows nothing of mapping, state or reports"},
	{"emulator", []string{module + "/importer", module + "/mapping"},
		"the emulator owns its reading of the API: a misreading in the client must not be mirrored by the emulator that tests it"},
	{"importer/pace", []string{module},
		"pacing knows no CIAM type: the caller names the action and classifies the error"},
	{"importer/outcome", []string{module + "/importer", module + "/mapping"},
		"the outcome table is a leaf: state, reports and the pipeline follow from it"},
	{"importer/source/...", []string{module + "/importer/state", module + "/importer/report", module + "/importer/ciam", module + "/mapping"},
		"sources only read records: they know nothing of state, reports, the client or the mapping"},
}

func TestArchitecture(t *testing.T) {
	for _, r := range rules {
		for _, p := range listPackages(t, "./"+r.pkg) {
			for _, f := range r.forbidden {
				if strings.HasPrefix(f, module) { // ours: anywhere in the dependencies
					for _, d := range p.Deps {
						if d == f || strings.HasPrefix(d, f+"/") {
							t.Errorf("%s depends on %s: %s", p.ImportPath, d, r.why)
						}
					}
				} else if slices.Contains(p.Imports, f) { // standard: imported directly
					t.Errorf("%s imports %s: %s", p.ImportPath, f, r.why)
				}
			}
		}
	}
}

type listed struct {
	ImportPath    string
	Imports, Deps []string
}

func listPackages(t *testing.T, pattern string) []listed {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	var pkgs []listed
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}
