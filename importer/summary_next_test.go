package importer

import (
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// Every way a run ends has a next step naming an exact command, and none
// of them repeats --canary or --restart.
func TestNextStep(t *testing.T) {
	counts := func(kv ...any) outcome.Counts {
		c := outcome.Counts{}
		for i := 0; i < len(kv); i += 2 {
			c.Add(kv[i].(outcome.Outcome).Name, int64(kv[i+1].(int)))
		}
		return c
	}
	opt := Options{Command: "bin/ciam-import run --state-dir st"}
	cases := []struct {
		name string
		sum  Summary
		opt  Options
		want string
	}{
		{"fatal", Summary{Stopped: StopFatal}, opt, "continue with: bin/ciam-import run --state-dir st"},
		{"interrupted", Summary{Stopped: StopInterrupted}, opt, "continue where it stopped with: bin/ciam-import run --state-dir st"},
		{"limit", Summary{Stopped: StopMaxRows}, opt, "continue where it stopped with: bin/ciam-import run --state-dir st"},
		{"clean canary", Summary{Stopped: StopCanary}, opt, "the canary is clean; import the rest with: bin/ciam-import run --state-dir st"},
		{"canary differs", Summary{Stopped: StopCanary, Canary: []CanaryDiff{{}}}, opt, "check the fields listed above"},
		{"retryable", Summary{Counts: counts(outcome.Retryable, 3, outcome.Rejected, 1)}, opt, "send the 3 retryable rows again with: bin/ciam-import retry --state-dir st"},
		{"nothing to retry", Summary{Counts: counts(outcome.Rejected, 1)}, Options{Command: "ciam-import retry --state-dir st", RetryPass: true}, "nothing to retry"},
		{"partial", Summary{Counts: counts(outcome.Created, 5, outcome.Rejected, 1)}, opt, "read st/rejected.csv and st/conflicts.csv"},
		{"ok", Summary{Counts: counts(outcome.Created, 5)}, opt, "done; see the whole job with: bin/ciam-import report --state-dir st"},
	}
	for _, c := range cases {
		c.sum.StateDir = "st"
		got := nextStep(&c.sum, c.opt)
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: next %q, want %q in it", c.name, got, c.want)
		}
		if strings.Contains(got, "--canary") || strings.Contains(got, "--restart") {
			t.Errorf("%s: next %q repeats a one-off flag", c.name, got)
		}
	}
}
