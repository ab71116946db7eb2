package importer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// sinkHarness runs createSink.process against a fakeAPI behind the pacing
// decorator, as runPass builds it, and records what the sink did with the
// control hooks: begin, cancel and halt.
type sinkHarness struct {
	api      *ciamtest.Fake
	s        *sink.Create
	pass     int
	halts    []error
	sinks    []string // the sink name of each begin
	cancels  int
	beginErr error
}

func newSinkHarness(api *ciamtest.Fake, legacyAttr, attempts int) *sinkHarness {
	h := &sinkHarness{api: api}
	paced := pacedAPI{api: api, pacer: fastPacer(attempts), obs: nopObserver{}}
	ctl := &sink.Control{
		Pass:    2,
		Stopped: make(chan struct{}),
		Begin: func(ctx context.Context, j *sink.Row, name string) error {
			api.Note("begin")
			h.sinks = append(h.sinks, name)
			if err := ctx.Err(); err != nil {
				return err
			}
			return h.beginErr
		},
		Cancel: func(ctx context.Context, j *sink.Row) error {
			api.Note("cancel")
			h.cancels++
			return nil
		},
		Halt: func(err error) { h.halts = append(h.halts, err) },
	}
	h.pass = ctl.Pass
	h.s = sink.NewCreate(ctl, paced, sink.NewFinder(paced, testStore, legacyAttr), testStore, 1, nil)
	return h
}

// sinkCase is one decision of createSink.process.
type sinkCase struct {
	name      string
	legacy    int  // the mapping's legacy-id attribute, 0 for none
	reconcile bool // begun by an earlier run
	maxTries  int  // RetryPolicy.MaxAttempts; default 3
	cancel    string
	beginErr  error
	script    func(u *mapping.User, f *ciamtest.Fake, cancel context.CancelFunc)

	want    string // outcome name, "" for abandoned
	creates int    // CreateUser calls
	begins  int
	cancels int      // journal cancels: the begin proved void
	lookups []string // in order; "a", "u", "e", "p" = legacy attribute, user name, email, phone
	halt    string   // substring of the halt error, "" for no halt
	check   func(t *testing.T, e state.Entry)
}

// lookupsOf turns the short lookup names of a case into fakeAPI.lookups form.
func lookupsOf(u *mapping.User, short []string) []string {
	var out []string
	for _, s := range short {
		out = append(out, map[string]string{
			"a": "DescribeUser:indexedAttribute1=" + u.Key,
			"u": "DescribeUser:userName=" + u.UserName,
			"e": "ListUserByProperty:email=" + u.Email,
			"p": "ListUserByProperty:phoneNumber=" + u.PhoneNumber,
		}[s])
	}
	return out
}

func rounds(n int, round ...string) []string {
	var out []string
	for range n {
		out = append(out, round...)
	}
	return out
}

var none = ciamtest.Answer{} // a lookup that finds nobody

func runSinkCase(t *testing.T, tt sinkCase) {
	t.Helper()
	u := testUser("K1")
	api := ciamtest.New()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tt.script(u, api, cancel)
	h := newSinkHarness(api, tt.legacy, orDefault(tt.maxTries, 3))
	h.beginErr = tt.beginErr
	if tt.cancel == "before" {
		cancel()
	}
	j := testJob(u)
	j.Reconcile = tt.reconcile
	r := h.process(ctx, j)

	if got := outcomeOf(r); got != tt.want {
		t.Fatalf("outcome %q, want %q (entry %+v, trace %v)", got, tt.want, r.Entry, api.Trace())
	}
	if r.Settled {
		checkEntryPosition(t, r.Entry, u, h.pass)
		if r.Entry.Attempts != len(api.Calls()) {
			t.Errorf("entry counts %d attempts, want every call made for the row, lookups included: %d (%v)",
				r.Entry.Attempts, len(api.Calls()), api.Trace())
		}
		if tt.check != nil {
			tt.check(t, r.Entry)
		}
	}
	if h.cancels != tt.cancels {
		t.Errorf("%d journal cancels, want %d (trace %v)", h.cancels, tt.cancels, api.Trace())
	}
	for _, name := range h.sinks {
		if name != sink.NameCreate {
			t.Errorf("begun in sink %q, want %q", name, sink.NameCreate)
		}
	}
	if n := api.Count(ciam.ActionCreateUser); n != tt.creates {
		t.Errorf("%d CreateUser calls, want %d", n, tt.creates)
	}
	if got, want := api.Lookups(), lookupsOf(u, tt.lookups); !slices.Equal(got, want) {
		t.Errorf("lookups %v, want %v", got, want)
	}
	checkBegins(t, api.Trace(), tt.begins)
	checkHalts(t, h.halts, tt.halt)
	checkNoLeftovers(t, api)
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func outcomeOf(r sink.Result) string {
	if !r.Settled {
		return ""
	}
	return r.Entry.Outcome
}

// checkEntryPosition checks what every settle entry of testJob carries.
func checkEntryPosition(t *testing.T, e state.Entry, u *mapping.User, pass int) {
	t.Helper()
	if e.Op != state.OpSettle || e.Line != 7 || e.ID != "700" || e.Next != "800:8" || e.Pos != 800 || e.Key != u.Key || e.Pass != pass {
		t.Errorf("entry %+v does not carry the row's identity, cursor, key and pass", e)
	}
}

// checkBegins asserts the row was journaled want times, always before the
// first CreateUser.
func checkBegins(t *testing.T, trace []string, want int) {
	t.Helper()
	begins, firstBegin, firstCreate := 0, -1, -1
	for i, ev := range trace {
		switch ev {
		case "begin":
			begins++
			if firstBegin < 0 {
				firstBegin = i
			}
		case ciam.ActionCreateUser:
			if firstCreate < 0 {
				firstCreate = i
			}
		}
	}
	if begins != want {
		t.Errorf("begin called %d times, want %d (trace %v)", begins, want, trace)
	}
	if firstCreate >= 0 && (firstBegin < 0 || firstBegin > firstCreate) {
		t.Errorf("CreateUser sent before the row was journaled (trace %v)", trace)
	}
}

func checkHalts(t *testing.T, halts []error, want string) {
	t.Helper()
	switch {
	case want == "" && len(halts) > 0:
		t.Errorf("halted with %v", halts)
	case want != "" && len(halts) != 1:
		t.Errorf("halted %d times (%v), want once with %q", len(halts), halts, want)
	case want != "" && !strings.Contains(halts[0].Error(), want):
		t.Errorf("halted with %v, want %q", halts[0], want)
	}
}

// process runs the sink over the one row j, as the pipeline hands it rows.
func (h *sinkHarness) process(ctx context.Context, j *sink.Row) sink.Result {
	in := make(chan *sink.Row, 1)
	in <- j
	close(in)
	h.s.Serve(ctx, in)
	return j.Wait()
}
