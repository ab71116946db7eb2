package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// transformCases: a regex_replace that would grow a 100 KB field to
// gigabytes rejects the row at the bound, naming the field and the
// transform, in bounded memory; the other rows are imported.
func transformCases() []hostileCase {
	return []hostileCase{
		{item: 21, name: "regex_replace growing a 100 KB field to gigabytes", proc: true,
			do: func(h *hostileEnv) binRun {
				m := strings.Replace(hostileMapping, "Nickname: { from: nick }",
					`Nickname: { from: nick, transforms: [{regex_replace: {pattern: "a", replacement: "`+strings.Repeat("x", 10000)+`"}}] }`, 1)
				in := hostileHeader + hostileRow(1, "n") + hostileRow(2, strings.Repeat("a", 100<<10)) + hostileRow(3, "n")
				return h.run(h.runArgs(h.write("users.csv", in), h.write("mapping.yaml", m))...)
			},
			code: exitPartial, lines: map[int64]string{2: outcome.Created.File, 3: outcome.Rejected.File, 4: outcome.Created.File},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				reason := reportColumn(t, filepath.Join(h.state, outcome.Rejected.File), "line", "reason")["3"]
				for _, want := range []string{"Nickname", "transform regex_replace (transforms[0]) failed: output exceeds the bound of 65536 bytes"} {
					if !strings.Contains(reason, want) {
						t.Errorf("reason %q does not say %q", reason, want)
					}
				}
				if r.maxRSS > 300<<20 { // unbounded: 1 GB for this row
					t.Errorf("max RSS %d MiB", r.maxRSS>>20)
				}
			}},
	}
}
