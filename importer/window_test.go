package importer

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// TestWindowGuardNeverExceedsQuota drives the guard with bursts of callers at
// random fake times and checks every half-open one-second window.
func TestWindowGuardNeverExceedsQuota(t *testing.T) {
	for _, n := range []int{1, 5, 20} {
		now := time.Unix(1_700_000_000, 0)
		clock := func() time.Time { return now }
		sleep := func(_ context.Context, d time.Duration) error { now = now.Add(d); return nil }
		g := newWindowGuard(n, clock, sleep)
		rnd := rand.New(rand.NewPCG(uint64(n), 1))
		var sent []time.Time
		for i := 0; i < 500; i++ {
			now = now.Add(time.Duration(rnd.IntN(120)) * time.Millisecond) // bursts and gaps
			at, err := g.admit(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			sent = append(sent, at)
		}
		for i := range sent {
			count := 0
			for j := i; j < len(sent) && sent[j].Sub(sent[i]) < time.Second; j++ {
				count++
			}
			if count > n {
				t.Fatalf("n=%d: %d sends in the second from %v", n, count, sent[i])
			}
		}
	}
}

func TestWindowGuardStopsOnCancel(t *testing.T) {
	now := time.Unix(0, 0)
	g := newWindowGuard(1, func() time.Time { return now }, sleepCtx)
	if _, err := g.admit(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.admit(ctx); err == nil {
		t.Fatal("a full window and a cancelled context must return an error")
	}
}
