package importer

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

// The rates after one and two cuts from 20 per second.
const (
	once  = 20 * cutFactor
	twice = 20 * cutFactor * cutFactor
)

func everySecond(n int) []time.Duration {
	var ds []time.Duration
	for i := range n {
		ds = append(ds, time.Duration(i)*time.Second)
	}
	return ds
}

func TestAdaptiveLimiterCutsOncePerCooldown(t *testing.T) {
	tests := []struct {
		name     string
		throttle []time.Duration // times of RequestLimitExceeded answers, from the start
		want     float64
	}{
		{"one", []time.Duration{0}, once},
		{"burst in one window", []time.Duration{0, time.Millisecond, 500 * time.Millisecond, 999 * time.Millisecond}, once},
		{"two windows", []time.Duration{0, time.Second}, twice},
		{"two windows, burst each", []time.Duration{0, 10, 20, time.Second, time.Second + 10, time.Second + 20}, twice},
		{"cooldown counts from the cut", []time.Duration{0, 900 * time.Millisecond, 1800 * time.Millisecond}, twice},
		{"floor", everySecond(40), minRate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			start := clk.Now()
			l := newAdaptiveLimiter(20, clk.Now)
			for _, at := range tt.throttle {
				clk.Advance(start.Add(at).Sub(clk.Now()))
				l.Throttled()
			}
			if got := l.Current(); !near(got, tt.want) {
				t.Errorf("rate %v, want %v", got, tt.want)
			}
			if got, want := float64(l.lim.Limit()), tt.want*headroom; !near(got, want) {
				t.Errorf("limiter paces at %v, want %v", got, want)
			}
		})
	}
}

func TestAdaptiveLimiterNeverExceedsTarget(t *testing.T) {
	for _, target := range []float64{0.1, 0.3, minRate, 0.6, 1, 20} {
		clk := newFakeClock()
		l := newAdaptiveLimiter(target, clk.Now)
		for range 10 {
			l.Throttled()
			if got := l.Current(); got > target || got < min(minRate, target) {
				t.Errorf("target %v: a cut set the rate to %v", target, got)
				break
			}
			clk.Advance(cutCooldown)
		}
	}
}

func TestAdaptiveLimiterRaisesAdditivelyUpToTarget(t *testing.T) {
	clk := newFakeClock()
	l := newAdaptiveLimiter(20, clk.Now)
	l.Success()
	if got := l.Current(); got != 20 {
		t.Fatalf("a success at full rate changed it to %v", got)
	}
	l.Throttled()
	step := 20 * raiseShare
	steps := []struct {
		advance time.Duration
		want    float64
	}{
		{0, once},                             // no raise in the cut's own second
		{500 * time.Millisecond, once},        //
		{500 * time.Millisecond, once + step}, // one period after the cut
		{100 * time.Millisecond, once + step}, // one raise per period, however many successes
		{900 * time.Millisecond, once + 2*step},
		{10 * time.Second, once + 3*step}, // no catching up on idle periods
	}
	for v := once + 4*step; v < 20; v += step {
		steps = append(steps, struct {
			advance time.Duration
			want    float64
		}{time.Second, v})
	}
	steps = append(steps, struct {
		advance time.Duration
		want    float64
	}{time.Second, 20}, struct { // capped at the target
		advance time.Duration
		want    float64
	}{time.Second, 20})
	for i, s := range steps {
		clk.Advance(s.advance)
		l.Success()
		l.Success()
		if got := l.Current(); !near(got, s.want) {
			t.Fatalf("step %d: rate %v, want %v", i, got, s.want)
		}
	}
	if got := float64(l.lim.Limit()); !near(got, 20*headroom) {
		t.Errorf("limiter paces at %v after recovering, want %v", got, 20*headroom)
	}
}

func TestAdaptiveLimiterUnlimited(t *testing.T) {
	for _, target := range []float64{0, -1} {
		l := newAdaptiveLimiter(target, time.Now)
		for range 10000 {
			if _, err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		l.Throttled()
		l.Success()
		if got := l.Current(); got != target {
			t.Errorf("unlimited limiter's rate became %v", got)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait with a cancelled context: %v", err)
		}
	}
}

func TestAdaptiveLimiterWaitEndsWithContext(t *testing.T) {
	l := newAdaptiveLimiter(0.5, time.Now) // the second token is 2s away
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := l.Wait(ctx); done <- err }()
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Wait returned nil after its context was cancelled")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after its context was cancelled")
	}
}

// TestAdaptiveLimiterHoldsEveryOneSecondWindow checks the property the
// limiter exists for: with a 20/s target, the times at which 100 calls are
// let through never put more than 20 into any half-open one-second window,
// whatever the callers' arrival pattern. Reservations are computed on a fake
// timeline with ReserveN, exactly as Wait computes them.
func TestAdaptiveLimiterHoldsEveryOneSecondWindow(t *testing.T) {
	const target, calls = 20, 100
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	patterns := map[string]func(i int, prevAct time.Time, rnd *rand.Rand) time.Time{
		"all at once": func(int, time.Time, *rand.Rand) time.Time { return start },
		"back to back": func(_ int, prev time.Time, _ *rand.Rand) time.Time {
			return prev
		},
		"random gaps": func(_ int, prev time.Time, rnd *rand.Rand) time.Time {
			return prev.Add(time.Duration(rnd.IntN(120)) * time.Millisecond)
		},
		"idle then burst": func(i int, prev time.Time, _ *rand.Rand) time.Time {
			if i%30 == 0 {
				return prev.Add(3 * time.Second) // tokens must not pile up beyond the burst of 1
			}
			return prev
		},
	}
	for name, arrive := range patterns {
		t.Run(name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(1, 2))
			l := newAdaptiveLimiter(target, time.Now)
			acts := make([]time.Time, 0, calls)
			prev, last := start, start
			for i := range calls {
				at := arrive(i, prev, rnd)
				at = maxTime(at, last) // a caller's clock never runs backwards
				r := l.lim.ReserveN(at, 1)
				if !r.OK() {
					t.Fatal("reservation refused")
				}
				act := at.Add(r.DelayFrom(at))
				acts = append(acts, act)
				prev, last = act, at
			}
			slices.SortFunc(acts, func(a, b time.Time) int { return a.Compare(b) })
			if n, at := maxInWindow(acts, time.Second); n > target {
				t.Errorf("%d calls in the second starting at +%v", n, at.Sub(start))
			}
		})
	}
}

// TestAdaptiveLimiterRealWaitsHoldTheWindow checks that the real Wait paces
// as the reservations say, scaled up to 2000/s so it takes 0.1s: 200
// sequential Waits take at least 199 intervals.
func TestAdaptiveLimiterRealWaitsHoldTheWindow(t *testing.T) {
	const r = 2000
	l := newAdaptiveLimiter(r, time.Now)
	first := time.Now()
	for range 200 {
		if _, err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	perSecond := float64(r) * headroom
	least := time.Duration(199 / perSecond * float64(time.Second)) // 199 intervals
	if el := time.Since(first); el < least-time.Millisecond {
		t.Errorf("200 Waits at %d/s took %v, want at least %v", r, el, least)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// maxInWindow returns the largest number of sorted times in any half-open
// window [t, t+w), and where it starts.
func maxInWindow(ts []time.Time, w time.Duration) (int, time.Time) {
	best, at, i := 0, time.Time{}, 0
	for j := range ts {
		for !ts[j].Before(ts[i].Add(w)) {
			i++
		}
		if n := j - i + 1; n > best {
			best, at = n, ts[i]
		}
	}
	return best, at
}
