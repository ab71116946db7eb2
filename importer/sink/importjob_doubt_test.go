package sink

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
)

// running is a ListJobs answer with a job of someone else's still running,
// and an export that never ends (exports do not hold imports back).
func running(status string) ciamtest.Answer {
	return ciamtest.Answer{Jobs: []ciam.Job{{Id: "other", Status: status, Type: ciam.JobTypeImportUser},
		{Id: "export", Status: ciam.JobProcessing, Type: ciam.JobTypeExportUser}}}
}

// storeWide reports whether each ListJobs call asked for every job of the
// store (true) or for jobs by id (false).
func storeWide(f *ciamtest.Fake) []bool {
	var out []bool
	for _, c := range f.Calls() {
		if c.Jobs != nil {
			out = append(out, len(c.Jobs.JobIds) == 0)
		}
	}
	return out
}

// An answer that may or may not have created a job: the sink waits until
// no job of the store is unfinished, then settles each row by lookup, and
// never sends the batch again.
func TestImportJobInDoubt(t *testing.T) {
	tests := []struct {
		name   string
		answer ciamtest.Answer
		jobs   []ciamtest.Answer // ListJobs, in order; then none unfinished

		want    []string
		code2   string // K2's code
		listJob []bool
		lookups bool
		halt    string
	}{
		{name: "in-doubt error", answer: ciamtest.Answer{Err: ciamtest.ClassErr(actJob, ciam.InDoubt, "InternalError")},
			jobs: []ciamtest.Answer{running(ciam.JobProcessing), running(ciam.JobCompleted)},
			want: []string{"created", "retryable"}, code2: "InternalError", listJob: []bool{true, true}, lookups: true},
		{name: "success without a job", answer: ciamtest.Answer{},
			jobs: []ciamtest.Answer{running(ciam.JobPending), running(ciam.JobFailed)},
			want: []string{"created", "retryable"}, code2: "ClientError.InvalidResponse", listJob: []bool{true, true}, lookups: true},
		{name: "the wait fails", answer: ciamtest.Answer{Err: ciamtest.ClassErr(actJob, ciam.InDoubt, "InternalError")},
			jobs: []ciamtest.Answer{running(ciam.JobProcessing), {Err: ciamtest.Err(ciam.ActionListJobs, "AuthFailure.SecretIdNotFound")}},
			want: []string{"", ""}, listJob: []bool{true, true}, halt: "AuthFailure.SecretIdNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newStore()
			k1 := user("K1")
			tt.answer.Hook = func() { api.hold(fixture.CIAMUserOf("uid-K1", k1)) } // the job ran for K1 only
			api.Script(actJob, tt.answer)
			api.Script(ciam.ActionListJobs, tt.jobs...)
			api.Always(ciam.ActionListJobs, running(ciam.JobCompleted))
			h := newJobHarness(api, JobOptions{}, 1)
			start := h.clock.Now()
			rs := rows("K1", "K2")
			got := h.serve(t, context.Background(), rs)

			if !slices.Equal(outcomes(got), tt.want) {
				t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), tt.want, api.Trace())
			}
			if n := api.Count(actJob); n != 1 {
				t.Errorf("batch sent %d times, want once", n)
			}
			if w := storeWide(api.Fake); !slices.Equal(w, tt.listJob) {
				t.Errorf("ListJobs store-wide %v, want %v", w, tt.listJob)
			}
			if d := h.clock.Now().Sub(start); d != time.Second {
				t.Errorf("waited %v, want one poll interval", d)
			}
			for _, j := range rs {
				if !j.MaybeSent {
					t.Errorf("row %s not marked maybe sent", j.User.Key)
				}
			}
			var want []string
			if tt.lookups {
				want = append([]string{listing(start.Add(-time.Minute))}, lookupsOf(rs[1].User)...)
				if e := got[1].Entry; e.Code != tt.code2 {
					t.Errorf("K2 retryable with %q, want %q", e.Code, tt.code2)
				}
				if e := got[0].Entry; e.UserID != "uid-K1" {
					t.Errorf("K1 created as %q", e.UserID)
				}
			}
			if l := api.Lookups(); !slices.Equal(l, want) {
				t.Errorf("lookups %v, want %v", l, want)
			}
			trace := api.Trace()
			if i, j := slices.Index(trace, ciam.ActionDescribeUser), lastIndex(trace, ciam.ActionListJobs); i >= 0 && i < j {
				t.Errorf("looked up before the store was idle (trace %v)", trace)
			}
			h.checkControl(t, []string{"K1", "K2"}, nil, tt.halt)
			api.CheckNoLeftovers(t)
		})
	}
}

func lastIndex(s []string, v string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == v {
			return i
		}
	}
	return -1
}

// An answer that proves nothing was created: fatal halts and cancels the
// begins of the batch; retryable settles every row retryable.
func TestImportJobFatalAndRetryable(t *testing.T) {
	tests := []struct {
		name    string
		code    string
		want    []string
		sent    int
		begins  []string
		cancels []string
		halt    string
	}{
		{name: "fatal", code: "AuthFailure.SignatureFailure", want: []string{"", "", ""}, sent: 1,
			begins: []string{"K1", "K2"}, cancels: []string{"K1", "K2"}, halt: "AuthFailure.SignatureFailure"},
		{name: "retryable", code: "RequestLimitExceeded", want: []string{"retryable", "retryable", "retryable"}, sent: 2,
			begins: []string{"K1", "K2", "K3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newStore()
			api.Always(actJob, ciamtest.Answer{Err: ciamtest.Err(actJob, tt.code)})
			h := newJobHarness(api, JobOptions{BatchSize: 2}, 1)
			got := h.serve(t, context.Background(), rows("K1", "K2", "K3"))

			if !slices.Equal(outcomes(got), tt.want) {
				t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), tt.want, api.Trace())
			}
			for _, r := range got {
				if r.Settled && r.Entry.Code != tt.code {
					t.Errorf("settled with %q, want %q", r.Entry.Code, tt.code)
				}
			}
			if n := api.Count(actJob); n != tt.sent {
				t.Errorf("%d job requests, want %d", n, tt.sent)
			}
			if n := len(api.Calls()); n != tt.sent {
				t.Errorf("calls %v, want only the job requests", api.Trace())
			}
			h.checkControl(t, tt.begins, tt.cancels, tt.halt)
		})
	}
}

// Rows begun by an earlier run wait once for the store's jobs to finish,
// are looked up first and settled when found; a row not found is sent in a
// batch with the new rows.
func TestImportJobReconcile(t *testing.T) {
	api := newStore()
	k1, k3 := user("K1"), user("K3")
	api.hold(fixture.Stranger("uid-other", k3))
	done := running(ciam.JobCompleted)
	done.Hook = func() { api.hold(fixture.CIAMUserOf("uid-K1", k1)) } // the running job was K1's
	api.Script(ciam.ActionListJobs, running(ciam.JobProcessing), done)
	api.Always(ciam.ActionListJobs, finished("j1"))
	api.Script(actJob, job("j1"))
	h := newJobHarness(api, JobOptions{}, 1)
	start := h.clock.Now()
	rs := rows("K1", "K2", "K3", "K4")
	for _, j := range rs[:3] {
		j.Reconcile, j.Sink = true, NameJob
	}
	got := h.serve(t, context.Background(), rs)

	if want := []string{"created", "created", "conflict", "created"}; !slices.Equal(outcomes(got), want) {
		t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), want, api.Trace())
	}
	if e := got[0].Entry; e.UserID != "uid-K1" {
		t.Errorf("K1 created as %q, want the user the earlier run's job made", e.UserID)
	}
	if s := imports(api.Fake); !slices.EqualFunc(s, [][]string{{"K2", "K4"}}, slices.Equal) {
		t.Errorf("job requests %v, want only the row not found and the new one", s)
	}
	if w := storeWide(api.Fake); !slices.Equal(w, []bool{true, true, false}) {
		t.Errorf("ListJobs store-wide %v, want one wait for the store, then the job polled", w)
	}
	trace := api.Trace()
	if i := slices.Index(trace, ciam.ActionDescribeUser); i < 2 || trace[i-1] != ciam.ActionListJobs {
		t.Errorf("looked up before the store was idle (trace %v)", trace)
	}
	want := slices.Concat(lookupsOf(k1)[:1], lookupsOf(rs[1].User), lookupsOf(k3)[:3],
		[]string{listing(start.Add(time.Second - time.Minute))})
	if l := api.Lookups(); !slices.Equal(l, want) {
		t.Errorf("lookups %v, want %v", l, want)
	}
	h.checkControl(t, []string{"K2", "K4"}, nil, "")
	api.CheckNoLeftovers(t)
}

// DataFlowTooManyRequests (the store runs two jobs) waits and sends again,
// up to JobTimeout; then the rows are retryable.
func TestImportJobBusy(t *testing.T) {
	busy := ciamtest.Answer{Err: ciamtest.Err(actJob, ciam.CodeDataFlowTooManyRequests)}
	tests := []struct {
		name   string
		script []ciamtest.Answer
		always bool // busy for ever
		want   []string
		waited func(d time.Duration) bool
	}{
		{name: "twice", script: []ciamtest.Answer{busy, busy, job("j1")}, want: []string{"created", "created"},
			waited: func(d time.Duration) bool { return d == 10*time.Second }}, // 2 × 5 polls
		{name: "past the timeout", always: true, want: []string{"retryable", "retryable"},
			waited: func(d time.Duration) bool { return d > time.Minute && d <= time.Minute+5*time.Second }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newStore()
			api.Script(actJob, tt.script...)
			if tt.always {
				api.Always(actJob, busy)
			}
			api.Always(ciam.ActionListJobs, finished("j1"))
			h := newJobHarness(api, JobOptions{JobTimeout: time.Minute}, 1)
			start := h.clock.Now()
			got := h.serve(t, context.Background(), rows("K1", "K2"))

			if !slices.Equal(outcomes(got), tt.want) {
				t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), tt.want, api.Trace())
			}
			if d := h.clock.Now().Sub(start); !tt.waited(d) {
				t.Errorf("waited %v", d)
			}
			s := imports(api.Fake)
			if len(s) < 2 {
				t.Errorf("job requests %v, want the batch sent again", s)
			}
			for _, keys := range s {
				if !slices.Equal(keys, []string{"K1", "K2"}) {
					t.Errorf("job requests %v, want the same batch each time", s)
				}
			}
			h.checkControl(t, []string{"K1", "K2"}, nil, "")
			api.CheckNoLeftovers(t)
		})
	}
}
