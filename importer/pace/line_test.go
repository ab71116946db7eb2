package pace

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// waitQueued waits, with a deadline, until n callers wait behind the head.
func waitQueued(t *testing.T, q *line, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for q.queued() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d callers in line, want %d", q.queued(), n)
		}
		runtime.Gosched()
	}
}

func TestLineServesFirstComeFirstServed(t *testing.T) {
	var q line
	if err := q.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	const callers = 8
	var mu sync.Mutex
	var served []int
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := q.enter(context.Background()); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			served = append(served, i)
			mu.Unlock()
			q.leave()
		}()
		waitQueued(t, &q, i+1) // caller i is in line before caller i+1 comes
	}
	q.leave()
	wg.Wait()
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(served, want) {
		t.Errorf("served in the order %v, want %v", served, want)
	}
}

func TestLineDropsCallersWhoseContextEnds(t *testing.T) {
	var q line
	if err := q.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() { gone <- q.enter(ctx) }()
	waitQueued(t, &q, 1)
	next := make(chan error, 1)
	go func() { next <- q.enter(context.Background()) }()
	waitQueued(t, &q, 2)
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled caller left the line with %v", err)
	}
	waitQueued(t, &q, 1)
	q.leave()
	select {
	case err := <-next:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the turn went to the cancelled caller and stopped there")
	}
	q.leave()
	if err := q.enter(context.Background()); err != nil || q.queued() != 0 {
		t.Errorf("an emptied line: enter %v, %d queued", err, q.queued())
	}
}

// TestLimiterServesFirstComeFirstServed: callers that queue behind a head
// sleeping for its slot are admitted in the order they came, on the grid.
func TestLimiterServesFirstComeFirstServed(t *testing.T) {
	clk := newFakeClock()
	release := make(chan struct{})
	sleeping := make(chan struct{}, 1)
	first := true
	l := newLimiter(20, clk.Now, func(ctx context.Context, d time.Duration) error {
		if first { // only the head sleeps: no race on first
			first = false
			sleeping <- struct{}{}
			<-release
		}
		clk.Advance(d)
		return ctx.Err()
	})
	newAdaptive(l)
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	type admitted struct {
		caller int
		at     time.Time
	}
	const callers = 8
	got := make(chan admitted, callers+1)
	go func() { at, _ := l.Wait(context.Background()); got <- admitted{-1, at} }()
	<-sleeping // the head holds its slot
	for i := range callers {
		go func() { at, _ := l.Wait(context.Background()); got <- admitted{i, at} }()
		waitQueued(t, &l.line, i+1)
	}
	close(release)
	var all []admitted
	for range callers + 1 {
		all = append(all, <-got)
	}
	slices.SortFunc(all, func(a, b admitted) int { return a.at.Compare(b.at) })
	var order []int
	for i, a := range all {
		if i > 0 && !a.at.After(all[i-1].at) {
			t.Errorf("callers %d and %d admitted at the same time %v", all[i-1].caller, a.caller, a.at)
		}
		order = append(order, a.caller)
	}
	if want := []int{-1, 0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
		t.Errorf("admitted in the order %v, want %v", order, want)
	}
}
