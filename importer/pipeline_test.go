package importer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
)

func TestPipelineSettlesInInputOrder(t *testing.T) {
	const rows, workers = 150, 6
	var recs []source.Record
	want := map[int64]string{}
	calls := 0
	for n := 2; n < rows+2; n++ {
		switch {
		case n%7 == 0:
			recs = append(recs, recordAt(n, rowWith(n, "email", "not-an-email")))
			want[int64(n)] = outcome.Rejected.Name
		case n%11 == 0:
			recs = append(recs, recordAt(n, rowWith(n, "email", "u2@example.com")))
			want[int64(n)] = outcome.Conflict.Name
		default:
			recs = append(recs, recordAt(n, row(n)))
			want[int64(n)] = outcome.Created.Name
			calls++
		}
	}
	for _, seed := range []uint64{1, 2, 3} {
		log := &settleLog{}
		api := newGateAPI()
		p := newRunPipeline(t, sliceSource(recs), api, workers, log)
		done := runAsync(context.Background(), p)

		// Hold calls until every worker has one, then complete a random one.
		rnd := rand.New(rand.NewPCG(seed, 99))
		var pending []gated
		var completed []string
		for arrived := 0; len(completed) < calls; {
			if len(pending) < workers && arrived < calls {
				select {
				case c := <-api.arrived:
					pending, arrived = append(pending, c), arrived+1
				case <-time.After(testDeadline):
					t.Fatalf("seed %d: only %d of %d calls arrived", seed, arrived, calls)
				}
				continue
			}
			i := rnd.IntN(len(pending))
			pending[i].answer <- nil
			completed = append(completed, pending[i].key)
			pending = slices.Delete(pending, i, i+1)
		}
		if err := waitRun(t, done); err != nil {
			t.Fatal(err)
		}

		sorted := slices.Clone(completed)
		slices.SortFunc(sorted, func(a, b string) int { return keyNumber(a) - keyNumber(b) })
		if slices.Equal(sorted, completed) {
			t.Fatalf("seed %d: calls completed in input order; the test proves nothing", seed)
		}
		got := log.lines()
		if len(got) != rows || !slices.IsSorted(got) || got[0] != 2 || got[rows-1] != rows+1 {
			t.Fatalf("seed %d: settled lines %v, want 2..%d in order", seed, got, rows+1)
		}
		for line, o := range log.outcomes() {
			if want[line] != o {
				t.Errorf("seed %d: line %d settled %s, want %s", seed, line, o, want[line])
			}
		}
	}
}

// The first abandoned row ends settling: no later row is settled (its
// result would move the resume position past an unsettled row), and intake
// stops.
func TestPipelineStopsSettlingAtTheFirstAbandonedRow(t *testing.T) {
	const workers, stuck = 4, "K10" // line 10
	log := &settleLog{}
	api := newGateAPI()
	src := endlessSource()
	p := newRunPipeline(t, src, api, workers, log)
	done := runAsync(context.Background(), p)

	var held gated
	completedAfter := 0
	for completedAfter < 3*workers || held.answer == nil { // let later rows finish first
		select {
		case c := <-api.arrived:
			switch {
			case c.key == stuck:
				held = c
			default:
				if keyNumber(c.key) > 10 {
					completedAfter++
				}
				c.answer <- nil
			}
		case <-time.After(testDeadline):
			t.Fatal("calls stopped arriving")
		}
	}
	fatal := apiErr(ciam.ActionCreateUser, "AuthFailure.SecretIdNotFound")
	held.answer <- fatal
	drained := make(chan struct{})
	go func() { // calls that started before the stop still get an answer
		for {
			select {
			case c := <-api.arrived:
				c.answer <- nil
			case <-drained:
				return
			}
		}
	}()
	err := waitRun(t, done)
	close(drained)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if got, want := log.lines(), []int64{2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(got, want) {
		t.Errorf("settled lines %v, want %v: nothing after the sink.Abandoned line 10", got, want)
	}
	if r, _ := p.reason.Load().(string); r != StopFatal {
		t.Errorf("stop reason %q, want %q", r, StopFatal)
	}
	if f := p.fatalErr(); !errors.Is(f, fatal) {
		t.Errorf("fatal error %v, want %v", f, fatal)
	}
	if n := src.read.Load(); n > 10+queueSize+2*workers+2+readAhead() {
		t.Errorf("read %d rows: intake did not stop", n)
	}
}

func TestPipelineStopsOnSettleFailure(t *testing.T) {
	log := &settleLog{failAt: 6}
	src := endlessSource()
	p := newRunPipeline(t, src, ciamtest.New(), 3, log)
	err := waitRun(t, runAsync(context.Background(), p))
	if err == nil || err.Error() != "disk full" {
		t.Errorf("run: %v, want the settle error", err)
	}
	if got := log.lines(); !slices.Equal(got, []int64{2, 3, 4, 5}) {
		t.Errorf("settled %v, want lines 2-5 only", got)
	}
	if r, _ := p.reason.Load().(string); r != StopFatal {
		t.Errorf("stop reason %q", r)
	}
	if n := src.read.Load(); n > 6+queueSize+2*3+2+readAhead() {
		t.Errorf("read %d rows: intake did not stop", n)
	}
}

// An interrupt with the calls in flight cancelled: those rows are abandoned,
// not settled, and so is everything after them.
func TestPipelineInterruptAbandonsCallsInFlight(t *testing.T) {
	defer SetMapBatchSize(1)() // so the mappers read ahead a few rows only
	const workers = 4
	log := &settleLog{}
	api := newGateAPI()
	recs := []source.Record{recordAt(2, rowWith(2, "email", "bad"))}
	for n := 3; n < 200; n++ {
		recs = append(recs, recordAt(n, row(n)))
	}
	src := sliceSource(recs)
	p := newRunPipeline(t, src, api, workers, log)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := runAsync(ctx, p)
	for range workers { // every worker holds a call
		select {
		case <-api.arrived:
		case <-time.After(testDeadline):
			t.Fatal("calls did not arrive")
		}
	}
	p.stop(StopInterrupted)
	cancel() // the second signal: calls in flight are cut
	if err := waitRun(t, done); err != nil {
		t.Fatal(err)
	}
	if got := log.lines(); !slices.Equal(got, []int64{2}) {
		t.Errorf("settled %v, want only the rejected line 2", got)
	}
	if r, _ := p.reason.Load().(string); r != StopInterrupted {
		t.Errorf("stop reason %q", r)
	}
	if n := src.read.Load(); n >= int64(len(recs)) {
		t.Errorf("read all %d rows after the interrupt", n)
	}
}

func maxRowsRun(t *testing.T) (*pipeline, *fakeSource, []int64) {
	t.Helper()
	var recs []source.Record
	for n := 2; n < 52; n++ {
		recs = append(recs, recordAt(n, row(n)))
	}
	log := &settleLog{}
	src := sliceSource(recs)
	p := newRunPipeline(t, src, ciamtest.New(), 4, log)
	p.maxRows = 10
	if err := waitRun(t, runAsync(context.Background(), p)); err != nil {
		t.Fatal(err)
	}
	return p, src, log.lines()
}

// TestPipelineMaxRows: intake takes 10 rows and ends limited. The source
// may be read ahead by the mappers (a few batches, one record each here),
// never taken further.
func TestPipelineMaxRows(t *testing.T) {
	defer SetMapBatchSize(1)()
	for range 20 {
		p, src, got := maxRowsRun(t)
		if n := src.read.Load(); !p.limited.Load() || n < 10 || n > 10+readAhead() {
			t.Fatalf("limited %v after reading %d rows, want the max-rows limit after 10 (and at most %d read ahead)",
				p.limited.Load(), n, readAhead())
		}
		if len(got) > 10 || !slices.Equal(got, []int64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11}[:len(got)]) {
			t.Fatalf("settled %v, want a prefix of the first 10 rows", got)
		}
	}
}

// TestPipelineMaxRowsSettlesEveryRowRead pins what --max-rows promises: the
// rows read are the rows settled.
func TestPipelineMaxRowsSettlesEveryRowRead(t *testing.T) {
	for range 20 {
		if _, _, got := maxRowsRun(t); len(got) != 10 {
			t.Fatalf("settled %v, want the first 10 rows", got)
		}
	}
}

func TestPipelineReadsToTheEnd(t *testing.T) {
	recs := []source.Record{recordAt(2, row(2)), recordAt(3, row(3))}
	log := &settleLog{}
	p := newRunPipeline(t, sliceSource(recs), ciamtest.New(), 8, log)
	if err := waitRun(t, runAsync(context.Background(), p)); err != nil {
		t.Fatal(err)
	}
	if r, _ := p.reason.Load().(string); r != "" {
		t.Errorf("stop reason %q for a finished input", r)
	}
	if got := log.outcomes(); got[2] != outcome.Created.Name || got[3] != outcome.Created.Name || len(got) != 2 {
		t.Errorf("outcomes %v", got)
	}
}

// TestHaltTwiceWithDifferentErrorTypes: two workers can halt the run at
// once with errors of different types; the first wins and nothing panics.
func TestHaltTwiceWithDifferentErrorTypes(t *testing.T) {
	p := newPipeline(0)
	first := &ciam.Error{Class: ciam.Fatal, Code: "AuthFailure.SignatureFailure"}
	p.halt(first)
	p.halt(fmt.Errorf("journal row 7: %w", errors.New("disk full")))
	if got := p.fatalErr(); got != error(first) {
		t.Fatalf("fatal error %v, want the first one", got)
	}
}

// echoSink settles every row it gets as created, recording the lines.
type echoSink struct {
	label string
	lines []int64 // only its serve goroutine appends; read after run
}

func (s *echoSink) Name() string { return s.label }

func (s *echoSink) Serve(_ context.Context, in <-chan *sink.Row) {
	for j := range in {
		s.lines = append(s.lines, j.Rec.Line)
		e := j.Entry(outcome.Created, 0)
		e.UserID = s.label
		j.Finish(sink.Settle(e))
	}
}

// Each row goes to the sink route names; the results still settle in input
// order, and the run ends when every sink has drained.
func TestPipelineRoutesEachRowToItsSink(t *testing.T) {
	var recs []source.Record
	for n := 2; n < 42; n++ {
		recs = append(recs, recordAt(n, row(n)))
	}
	recs[5] = recordAt(7, rowWith(7, "email", "bad")) // rejected before any sink
	log := &settleLog{}
	p := newRunPipeline(t, sliceSource(recs), ciamtest.New(), 1, log)
	even, odd := &echoSink{label: "even"}, &echoSink{label: "odd"}
	p.sinks = []sink.Sink{even, odd}
	p.route = func(j *sink.Row) int { return int(j.Rec.Line % 2) }
	if err := waitRun(t, runAsync(context.Background(), p)); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*echoSink{even, odd} {
		for _, l := range s.lines {
			if int(l%2) != map[string]int{"even": 0, "odd": 1}[s.label] || l == 7 {
				t.Errorf("sink %s got line %d", s.label, l)
			}
		}
	}
	if len(even.lines)+len(odd.lines) != len(recs)-1 {
		t.Errorf("sinks got %d rows, want %d", len(even.lines)+len(odd.lines), len(recs)-1)
	}
	got := log.lines()
	if len(got) != len(recs) || !slices.IsSorted(got) {
		t.Fatalf("settled %v, want every line in order", got)
	}
	for _, e := range log.entries {
		want := map[int64]string{0: "even", 1: "odd"}[e.Line%2]
		if e.Line == 7 {
			want = ""
		}
		if e.UserID != want {
			t.Errorf("line %d settled by %q, want %q", e.Line, e.UserID, want)
		}
	}
}
