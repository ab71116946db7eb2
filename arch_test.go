// Package ciamimport holds no code: this file enforces the architecture that
// the packages' docs promise, as a test, so that `make test` fails when an
// import crosses a line.
package ciamimport

import (
	"encoding/json"
	"os"
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
	{"importer/sink", []string{module + "/importer/checkpoint", module + "/importer/ledger", module + "/importer/report"},
		"sinks decide outcomes: the pipeline journals, settles and records them; a sink reaches the journal only through Control"},
	{"importer/checkpoint", []string{module + "/importer/sink", module + "/importer/ciam", module + "/importer/ledger"},
		"the durable state knows positions and settle entries, not sinks, the client or the ledger's storage"},
	{"importer/ledger", []string{module + "/importer/sink", module + "/importer/checkpoint", module + "/importer/ciam"},
		"the ledger stores keys; it does not send or settle"},
	{"importer/ciam/ciamtest", []string{module + "/importer/sink", module + "/importer/checkpoint", module + "/mapping"},
		"the scripted fake is of the API only"},
}

// TestRootPackageStaysSmall keeps the cut: the root package wires the rooms
// together and holds the pipeline, not the sinks' or the checkpoint's code.
func TestRootPackageStaysSmall(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{range .GoFiles}}{{$.Dir}}/{{.}} {{end}}", "./importer").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, f := range strings.Fields(string(out)) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines += strings.Count(string(data), "\n")
	}
	// 4,500 lines before the cut; the rooms took the sinks, the checkpoint,
	// the ledger and pacing. A root growing back past this wants a new room.
	const limit = 2000
	if lines > limit {
		t.Errorf("importer/ has %d lines of non-test Go; keep it under %d: move the new concept into a package of its own", lines, limit)
	}
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
