package sink

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
)

// Rows whose job cannot be followed to its end are left for the next run:
// abandoned, their begins kept (the next run reconciles them), never
// settled on a guess.
func TestImportJobLeavesRowsForTheNextRun(t *testing.T) {
	runningJ1 := ciamtest.Answer{Jobs: []ciam.Job{{Id: "j1", Status: ciam.JobProcessing, Type: ciam.JobTypeImportUser}}}
	tests := []struct {
		name      string
		script    func(api *store, h *jobHarness, cancel context.CancelFunc)
		reconcile bool // K1 was begun by an earlier run
		want      []string
		begins    []string
		sent      int
		halt      string
	}{
		{name: "the job never finishes", script: func(api *store, _ *jobHarness, _ context.CancelFunc) {
			api.Script(actJob, job("j1"))
			api.Always(ciam.ActionListJobs, runningJ1)
		}, want: []string{"", ""}, begins: []string{"K1", "K2"}, sent: 1, halt: "did not finish within 1m0s"},
		{name: "polling the job fails fatally", script: func(api *store, _ *jobHarness, _ context.CancelFunc) {
			api.Script(actJob, job("j1"))
			api.Script(ciam.ActionListJobs, runningJ1, ciamtest.Answer{Err: ciamtest.Err(ciam.ActionListJobs, "AuthFailure.SecretIdNotFound")})
		}, want: []string{"", ""}, begins: []string{"K1", "K2"}, sent: 1, halt: "AuthFailure.SecretIdNotFound"},
		{name: "polling the job fails once", script: func(api *store, _ *jobHarness, _ context.CancelFunc) {
			api.Script(actJob, job("j1"))
			api.Script(ciam.ActionListJobs, ciamtest.Answer{Err: ciamtest.Err(ciam.ActionListJobs, "InternalError")})
			api.Always(ciam.ActionListJobs, finished("j1"))
		}, want: []string{"created", "created"}, begins: []string{"K1", "K2"}, sent: 1},
		{name: "intake stopped", script: func(_ *store, h *jobHarness, _ context.CancelFunc) {
			h.stopIntake()
		}, reconcile: true, want: []string{"", ""}},
		{name: "cancelled while sending", script: func(api *store, _ *jobHarness, cancel context.CancelFunc) {
			api.Script(actJob, ciamtest.Answer{Err: context.Canceled, Hook: cancel})
		}, want: []string{"", ""}, begins: []string{"K1", "K2"}, sent: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			api := newStore()
			h := newJobHarness(api, JobOptions{JobTimeout: time.Minute}, 1)
			tt.script(api, h, cancel)
			rs := rows("K1", "K2")
			rs[0].Reconcile = tt.reconcile
			got := h.serve(t, ctx, rs)

			if !slices.Equal(outcomes(got), tt.want) {
				t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), tt.want, api.Trace())
			}
			if n := api.Count(actJob); n != tt.sent {
				t.Errorf("%d job requests, want %d", n, tt.sent)
			}
			if tt.want[0] == "" && len(api.Lookups()) > 0 {
				t.Errorf("rows left for the next run were looked up: %v", api.Lookups())
			}
			if tt.sent == 0 && len(api.Calls()) > 0 {
				t.Errorf("calls %v after intake stopped", api.Trace())
			}
			h.checkControl(t, tt.begins, nil, tt.halt)
			api.CheckNoLeftovers(t)
		})
	}
}

// A partial batch is sent once no row joined it for FlushAfter, without
// waiting for the input to end.
func TestImportJobFlushesAPartialBatch(t *testing.T) {
	api := newStore()
	api.Script(actJob, job("j1"))
	api.Always(ciam.ActionListJobs, finished("j1"))
	h := newJobHarness(api, JobOptions{BatchSize: 10, FlushAfter: time.Millisecond}, 1)
	rs := rows("K1")
	in := make(chan *Row)
	served := make(chan struct{})
	go func() {
		defer close(served)
		h.s.Serve(context.Background(), in)
	}()
	in <- rs[0]
	select {
	case r := <-rs[0].done:
		if r.Entry.Outcome != "created" {
			t.Errorf("outcome %q, want created", r.Entry.Outcome)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the row was not sent while the input stayed open (calls %v)", api.Trace())
	}
	close(in)
	select {
	case <-served:
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return once its input closed")
	}
	if s := imports(api.Fake); !slices.EqualFunc(s, [][]string{{"K1"}}, slices.Equal) {
		t.Errorf("job requests %v, want the one row", s)
	}
}
