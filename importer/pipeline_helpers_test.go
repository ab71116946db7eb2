package importer

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// testDeadline bounds every wait of these tests; reaching it means a hang.
const testDeadline = 10 * time.Second

// settleLog records what the settler settled, in order.
type settleLog struct {
	mu      sync.Mutex
	entries []state.Entry
	failAt  int64 // line whose settling fails, 0 for none
}

func (s *settleLog) settle(r sink.Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Entry.Line == s.failAt {
		return errors.New("disk full")
	}
	s.entries = append(s.entries, r.Entry)
	return nil
}

func (s *settleLog) lines() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.Line
	}
	return out
}

func (s *settleLog) outcomes() map[int64]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int64]string{}
	for _, e := range s.entries {
		out[e.Line] = e.Outcome
	}
	return out
}

// gated is one CreateUser held by gateAPI until the test answers it.
type gated struct {
	key    string
	answer chan error // nil: success
}

// gateAPI holds every CreateUser until the test releases it, so the test
// decides the order in which calls complete. Lookups find nobody.
type gateAPI struct {
	*ciamtest.Fake // every action but CreateUser
	arrived        chan gated
}

func newGateAPI() *gateAPI { return &gateAPI{Fake: ciamtest.New(), arrived: make(chan gated)} }

func (g *gateAPI) CreateUser(ctx context.Context, req *ciam.CreateUserRequest) (*ciam.CreateUserResponse, error) {
	c := gated{key: req.IndexedAttribute1, answer: make(chan error, 1)}
	select {
	case g.arrived <- c:
	case <-ctx.Done():
		return nil, &ciam.Error{Class: ciam.Retryable, Code: ciam.CodeCanceled, Err: ctx.Err()}
	}
	select {
	case err := <-c.answer:
		if err != nil {
			return nil, err
		}
		return &ciam.CreateUserResponse{User: &ciam.User{UserId: "uid-" + c.key}, RequestId: "req-" + c.key}, nil
	case <-ctx.Done():
		return nil, &ciam.Error{Class: ciam.InDoubt, Code: ciam.CodeCanceled, Sent: true, Err: ctx.Err()}
	}
}

// newRunPipeline builds a pass as runPass does, with one CreateUser sink of
// workers calls at a time over the paced api, a journal that always works
// and log for the settler.
func newRunPipeline(t *testing.T, src source.Reader, api API, workers int, log *settleLog) *pipeline {
	t.Helper()
	spec := testSpec(t)
	p := newPipeline(0)
	p.src, p.spec, p.seen = src, spec, testSeen(t)
	p.settle = func(_ *sink.Row, r sink.Result) error { return log.settle(r) }
	p.Begin = func(ctx context.Context, _ *sink.Row, _ string) error { return ctx.Err() }
	p.Cancel = func(ctx context.Context, _ *sink.Row) error { return ctx.Err() }
	paced := pacedAPI{api: api, pacer: fastPacer(1), obs: nopObserver{}}
	p.sinks = []sink.Sink{sink.NewCreate(&p.Control, paced, sink.NewFinder(paced, testStore, spec.LegacyIDAttribute()), testStore, workers, nil)}
	return p
}

// readAhead bounds the records mapInOrder reads past the last one the
// pipeline took: the batches queued for emitting, the one being emitted and
// the one the reader fills.
func readAhead() int64 { return int64((2*runtime.GOMAXPROCS(0) + 2) * mapBatchSize) }

// runAsync starts p and returns the channel its error arrives on.
func runAsync(ctx context.Context, p *pipeline) <-chan error {
	done := make(chan error, 1)
	go func() { done <- p.run(ctx) }()
	return done
}

func waitRun(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(testDeadline):
		t.Fatal("the pipeline did not finish")
		return nil
	}
}

func keyNumber(key string) int {
	n := 0
	for _, r := range key[1:] {
		n = n*10 + int(r-'0')
	}
	return n
}
