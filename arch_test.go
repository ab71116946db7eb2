// Package ciamimport holds no code: this file enforces the architecture that
// the packages' docs promise, as a test, so that `make test` fails when an
// import crosses a line.
package ciamimport

import (
	"encoding/json"
	"os/exec"
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
	{"emulator", []string{module + "/mapping", module + "/importer/state", module + "/importer/report", module + "/importer/source"},
		"the emulator shares only the wire models with the importer"},
}

func TestArchitecture(t *testing.T) {
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", "-json=ImportPath", "./"+r.pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", r.pkg, err)
		}
		dec := json.NewDecoder(strings.NewReader(string(out)))
		for dec.More() {
			var p struct{ ImportPath string }
			if err := dec.Decode(&p); err != nil {
				t.Fatal(err)
			}
			for _, f := range r.forbidden {
				// our packages by prefix; standard ones exactly (net/mail only parses)
				if p.ImportPath == f || strings.HasPrefix(f, module) && strings.HasPrefix(p.ImportPath, f+"/") {
					t.Errorf("%s depends on %s: %s", r.pkg, p.ImportPath, r.why)
				}
			}
		}
	}
}
