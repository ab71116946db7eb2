package main

import (
	"testing"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// The exit codes moved here from package importer: the stop reason first,
// then the most urgent verdict of the rows' outcomes.
func TestExitCode(t *testing.T) {
	counts := func(kv ...any) outcome.Counts {
		c := outcome.Counts{}
		for i := 0; i+1 < len(kv); i += 2 {
			c.Add(kv[i].(outcome.Outcome).Name, int64(kv[i+1].(int)))
		}
		return c
	}
	tests := []struct {
		name    string
		stopped string
		counts  outcome.Counts
		want    int
	}{
		{"nothing read", "", nil, exitOK},
		{"all created", "", counts(outcome.Created, 3), exitOK},
		{"created, updated and skipped", "", counts(outcome.Created, 3, outcome.Updated, 1, outcome.Skipped, 2), exitOK},
		{"a conflict", "", counts(outcome.Created, 3, outcome.Conflict, 1), exitPartial},
		{"a rejected row", "", counts(outcome.Rejected, 1), exitPartial},
		{"retryable wins over partial", "", counts(outcome.Conflict, 1, outcome.Retryable, 1, outcome.Rejected, 2), exitRetryable},
		{"fatal wins over the rows", importer.StopFatal, counts(outcome.Retryable, 1), exitFatal},
		{"interrupted", importer.StopInterrupted, counts(outcome.Created, 1), exitInterrupted},
		{"max rows", importer.StopMaxRows, counts(outcome.Conflict, 1), exitLimit},
		{"max duration", importer.StopMaxDuration, nil, exitLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := &importer.Summary{Stopped: tt.stopped, Counts: tt.counts}
			if got := exitCode(sum); got != tt.want {
				t.Errorf("exitCode(stopped %q, counts %v) = %d, want %d", tt.stopped, tt.counts, got, tt.want)
			}
		})
	}
	// Every outcome of the table maps to a code: one added to the table
	// cannot fall through to "ok" unnoticed unless its verdict says done.
	for _, o := range outcome.All {
		got := exitCode(&importer.Summary{Counts: counts(o, 1)})
		want := map[outcome.Verdict]int{outcome.Done: exitOK, outcome.Attention: exitPartial, outcome.Again: exitRetryable}[o.Verdict]
		if got != want {
			t.Errorf("a row %s: exit %d, want %d", o.Name, got, want)
		}
	}
}
