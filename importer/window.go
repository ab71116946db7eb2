package importer

import (
	"context"
	"sync"
	"time"
)

// windowGuard makes the quota a hard guarantee at the moment of sending: no
// one-second window ever holds more than n sends. rate.Limiter spaces
// requests evenly but hands out reservations in advance, so a goroutine that
// wakes late can bunch up with the next one; the guard stamps the actual send
// time, under a lock, after the limiter.
type windowGuard struct {
	mu    sync.Mutex
	ring  []time.Time // the last n send times; ring[next] is the oldest
	next  int
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newWindowGuard(n int, now func() time.Time, sleep func(context.Context, time.Duration) error) *windowGuard {
	return &windowGuard{ring: make([]time.Time, max(n, 1)), now: now, sleep: sleep}
}

// admit waits until one more send keeps every one-second window at n sends
// or fewer, records it, and returns its time.
func (g *windowGuard) admit(ctx context.Context) (time.Time, error) {
	for {
		t, wait := g.try()
		if wait == 0 {
			return t, nil
		}
		if err := g.sleep(ctx, wait); err != nil {
			return time.Time{}, err
		}
	}
}

func (g *windowGuard) try() (time.Time, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	oldest := g.ring[g.next]
	if age := now.Sub(oldest); !oldest.IsZero() && age < time.Second {
		return time.Time{}, time.Second - age
	}
	g.ring[g.next] = now
	g.next = (g.next + 1) % len(g.ring)
	return now, 0
}
