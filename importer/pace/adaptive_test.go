package pace

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

// simLimiter is a limiter at target and its policy, on a fake clock whose
// waits advance it.
func simLimiter(target float64) (*adaptive, *fakeClock) {
	clk := newFakeClock()
	return newAdaptive(newLimiter(target, clk.Now, clk.sleep)), clk
}

// force sets the policy's rate as a cut or a raise would.
func force(l *adaptive, rate float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.setRate(rate)
}

// sendN lets n callers through one after the other and returns the send
// times.
func sendN(t *testing.T, l *adaptive, n int) []time.Time {
	t.Helper()
	var at []time.Time
	for range n {
		s, err := l.lim.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		at = append(at, s)
	}
	return at
}

// perSecond is the rate of sorted sends from the first to the last.
func perSecond(ts []time.Time) float64 {
	return float64(len(ts)-1) / ts[len(ts)-1].Sub(ts[0]).Seconds()
}

func TestAdaptiveLimiterFillsTheQuotaWhenAlone(t *testing.T) {
	for _, target := range []float64{1, 5, 20, 100} {
		l, _ := simLimiter(target)
		ts := sendN(t, l, int(10*target)+1)
		if got := perSecond(ts); got < 0.99*target || got > target {
			t.Errorf("target %v: %v sends per second, want in [%v, %v]", target, got, 0.99*target, target)
		}
		if n, _ := maxInWindow(ts, time.Second+minSlack); n > int(target) {
			t.Errorf("target %v: %d sends in a window of 1s+%v", target, n, minSlack)
		}
	}
	l, _ := simLimiter(0.5) // slower than one per second: the rate, not the window, paces
	if got := perSecond(sendN(t, l, 6)); !near(got, 0.5) {
		t.Errorf("target 0.5: %v sends per second", got)
	}
}

// TestAdaptiveLimiterHoldsEveryOneSecondWindow checks the hard rule on the
// actual send times, whatever the callers' pattern and however late their
// wake-ups: no half-open one-second window holds more than the target.
func TestAdaptiveLimiterHoldsEveryOneSecondWindow(t *testing.T) {
	const target, calls = 20, 400
	patterns := map[string]func(i int, rnd *rand.Rand) time.Duration{ // idle time before call i
		"back to back":    func(int, *rand.Rand) time.Duration { return 0 },
		"random gaps":     func(_ int, rnd *rand.Rand) time.Duration { return time.Duration(rnd.IntN(120)) * time.Millisecond },
		"idle then burst": func(i int, _ *rand.Rand) time.Duration { return time.Duration(i%30/29) * 3 * time.Second },
	}
	for name, idle := range patterns {
		for _, late := range []int{0, 30, 200} { // wake-ups up to this many ms late
			rnd := rand.New(rand.NewPCG(1, uint64(late)))
			l, clk := simLimiter(target)
			l.lim.sleep = func(ctx context.Context, d time.Duration) error {
				clk.Advance(d + time.Duration(rnd.IntN(late+1))*time.Millisecond)
				return ctx.Err()
			}
			var ts []time.Time
			for i := range calls {
				clk.Advance(idle(i, rnd))
				ts = append(ts, sendN(t, l, 1)...)
				if i%50 == 49 {
					l.Throttled(ts[len(ts)-1]) // verdicts and cuts must not break the rule either
				}
			}
			if !slices.IsSortedFunc(ts, time.Time.Compare) {
				t.Fatalf("%s, late %d ms: send times not in order", name, late)
			}
			if n, at := maxInWindow(ts, time.Second); n > target {
				t.Errorf("%s, late %d ms: %d sends in the second from %v", name, late, n, at)
			}
		}
	}
}

// atFullRate drives the limiter alone at its target for d and returns the
// send times.
func atFullRate(t *testing.T, l *adaptive, d time.Duration) []time.Time {
	t.Helper()
	return sendN(t, l, int(l.lim.target*d.Seconds()))
}

func TestAdaptiveLimiterTellsOurTimingFromOtherLoad(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, l *adaptive, clk *fakeClock) time.Time // returns the refused send's time
		want  refusal
	}{
		{"alone at the quota: our jitter", func(t *testing.T, l *adaptive, _ *fakeClock) time.Time {
			ts := atFullRate(t, l, 3*time.Second)
			return ts[len(ts)-3]
		}, refusalOurs},
		{"half the quota: someone else", func(t *testing.T, l *adaptive, clk *fakeClock) time.Time {
			var last time.Time
			for range 30 {
				last = sendN(t, l, 1)[0]
				clk.Advance(100 * time.Millisecond)
			}
			return last
		}, refusalShared},
		{"at the start: someone else", func(t *testing.T, l *adaptive, _ *fakeClock) time.Time {
			return sendN(t, l, 5)[4]
		}, refusalShared},
		{"third refusal within a second: not jitter", func(t *testing.T, l *adaptive, _ *fakeClock) time.Time {
			ts := atFullRate(t, l, 3*time.Second)
			l.Throttled(ts[len(ts)-8])
			l.Throttled(ts[len(ts)-5])
			return ts[len(ts)-2]
		}, refusalShared},
		{"selfLimit-th timing event within selfMemory: load", func(t *testing.T, l *adaptive, clk *fakeClock) time.Time {
			for range selfLimit - 1 {
				ts := atFullRate(t, l, 1500*time.Millisecond)
				if v := l.Throttled(ts[len(ts)-1]); v != refusalOurs {
					t.Fatalf("an isolated refusal at the quota: verdict %v", v)
				}
			}
			ts := atFullRate(t, l, 1500*time.Millisecond)
			return ts[len(ts)-1]
		}, refusalShared},
		{"a stall of ours refused two sends, then another refusal: one event, still ours", func(t *testing.T, l *adaptive, _ *fakeClock) time.Time {
			ts := atFullRate(t, l, 3*time.Second)
			l.Throttled(ts[len(ts)-2])
			l.Throttled(ts[len(ts)-1])
			ts = atFullRate(t, l, 3*time.Second)
			return ts[len(ts)-1]
		}, refusalOurs},
		{"at maxSlack: load", func(t *testing.T, l *adaptive, _ *fakeClock) time.Time {
			l.setSlack(maxSlack, time.Time{})
			ts := atFullRate(t, l, 3*time.Second)
			return ts[len(ts)-1]
		}, refusalShared},
		{"after a cut: load", func(t *testing.T, l *adaptive, _ *fakeClock) time.Time {
			force(l, 19)
			ts := atFullRate(t, l, 3*time.Second)
			return ts[len(ts)-1]
		}, refusalShared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, clk := simLimiter(20)
			sent := tt.setup(t, l, clk)
			rate, slack := l.Current(), l.Slack()
			if got := l.Throttled(sent); got != tt.want {
				t.Fatalf("verdict %v, want %v", got, tt.want)
			}
			switch tt.want {
			case refusalOurs:
				if l.Current() != rate || l.Slack() != slack+slackStep {
					t.Errorf("rate %v -> %v, slack %v -> %v: want the rate kept and the slack widened by %v",
						rate, l.Current(), slack, l.Slack(), slackStep)
				}
			case refusalShared:
				if l.Current() >= rate {
					t.Errorf("rate %v -> %v: want a cut", rate, l.Current())
				}
			}
		})
	}
}

func TestAdaptiveLimiterCutsOncePerCooldownByTheRefusedShare(t *testing.T) {
	l, clk := simLimiter(20)
	var ts []time.Time
	for range 10 { // 10 sends over the last second, at half the quota
		ts = append(ts, sendN(t, l, 1)...)
		clk.Advance(100 * time.Millisecond)
	}
	l.Throttled(ts[9])
	if got := l.Current(); !near(got, 20*cutFactor) {
		t.Fatalf("one refusal of 10 sends: rate %v, want %v", got, 20*cutFactor)
	}
	for _, s := range ts[:8] {
		l.Throttled(s) // within the cooldown: no second cut
	}
	if got := l.Current(); !near(got, 20*cutFactor) {
		t.Fatalf("refusals within the cooldown cut again: rate %v", got)
	}
	clk.Advance(cutCooldown) // the last second's sends, all refused
	if l.Throttled(ts[9]); !near(l.Current(), 20*cutFactor*maxCut) {
		t.Errorf("every send of the last second refused: rate %v, want the deepest cut to %v", l.Current(), 20*cutFactor*maxCut)
	}
	for range 100 {
		clk.Advance(cutCooldown)
		l.Throttled(clk.Now())
	}
	if got := l.Current(); got != minRate {
		t.Errorf("rate %v after many cuts, want the floor %v", got, minRate)
	}
	slow, _ := simLimiter(0.3)
	slow.Throttled(time.Time{})
	if got := slow.Current(); got > 0.3 {
		t.Errorf("the floor lifted a target of 0.3 to %v", got)
	}
}

func TestAdaptiveLimiterRecoversWithinSeconds(t *testing.T) {
	l, clk := simLimiter(20)
	force(l, 10) // a dip: the last cut happened at 10/s ...
	l.peak = 10
	l.Throttled(clk.Now()) // ... and one more at 10/s
	want := []float64{8.5, 9.5, 9.5, 9.5, 9.75, 10.25, 11.25, 13.25, 17.25, 20, 20}
	for i, w := range want {
		if got := l.Current(); !near(got, w) {
			t.Fatalf("second %d after the cut: rate %v, want %v (all: %v)", i, got, w, want)
		}
		clk.Advance(raiseEvery / 2)
		l.Success() // one raise per period, however many successes
		clk.Advance(raiseEvery / 2)
		l.Success()
		l.Success()
	}
}

func TestAdaptiveLimiterSlackDecays(t *testing.T) {
	l, clk := simLimiter(20)
	if got := l.Slack(); got != startSlack {
		t.Fatalf("slack %v at the start, want %v", got, startSlack)
	}
	ts := atFullRate(t, l, 3*time.Second)
	before := l.Slack()
	l.Throttled(ts[len(ts)-1])
	if got := l.Slack(); got != before+slackStep {
		t.Fatalf("slack %v after our own refusal, want %v", got, before+slackStep)
	}
	steps := int((before + slackStep - minSlack) / slackDecay)
	for range steps {
		clk.Advance(slackEvery)
		l.Success()
	}
	if got := l.Slack(); got != minSlack {
		t.Errorf("slack %v after %v without refusals, want back at %v", got, time.Duration(steps)*slackEvery, minSlack)
	}
	clk.Advance(slackEvery)
	if l.Success(); l.Slack() != minSlack {
		t.Errorf("slack decayed below the minimum: %v", l.Slack())
	}
}

func TestAdaptiveLimiterCutAppliesToTheNextSend(t *testing.T) {
	l, clk := simLimiter(20)
	ts := sendN(t, l, 3)
	force(l, 5) // what a cut does
	clk.Advance(0)
	next := sendN(t, l, 2)
	if gap := next[1].Sub(next[0]); gap < 199*time.Millisecond {
		t.Errorf("sends %v apart after the rate fell to 5/s (first one %v after the last at 20/s)", gap, next[0].Sub(ts[2]))
	}
}

func TestAdaptiveLimiterUnlimited(t *testing.T) {
	for _, target := range []float64{0, -1} {
		l := newAdaptive(newLimiter(target, time.Now, Sleep))
		for range 10000 {
			if _, err := l.lim.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		l.Throttled(time.Now())
		l.Success()
		if got := l.Current(); got != target {
			t.Errorf("unlimited limiter's rate became %v", got)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := l.lim.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait with a cancelled context: %v", err)
		}
	}
}

func TestAdaptiveLimiterWaitEndsWithContext(t *testing.T) {
	l := newLimiter(0.5, time.Now, Sleep) // the second send is 2s away
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	for callers, name := range []string{1: "waiting for the slot", 2: "waiting in line"} {
		if callers == 0 {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, callers)
		for range callers {
			go func() { _, err := l.Wait(ctx); done <- err }()
		}
		cancel()
		for range callers {
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s: Wait returned %v after its context was cancelled", name, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s: Wait did not return after its context was cancelled", name)
			}
		}
	}
}

func TestAdaptiveLimiterDoesNotRaiseWhileRefusalsCome(t *testing.T) {
	l, clk := simLimiter(20)
	force(l, 10)
	l.Throttled(clk.Now()) // cut
	cut := l.Current()
	for range 5 { // refusals within the cooldown or after it, then a second without one: never a raise
		clk.Advance(450 * time.Millisecond)
		l.Throttled(clk.Now())
		clk.Advance(600 * time.Millisecond)
		l.Success()
		if got := l.Current(); got > cut {
			t.Fatalf("rate rose to %v between refusals", got)
		}
		cut = l.Current()
	}
	clk.Advance(raiseEvery)
	if l.Success(); l.Current() <= cut {
		t.Errorf("rate %v a period after the last refusal, want above %v", l.Current(), cut)
	}
}

func TestAdaptiveLimiterShiftsItsGridAfterOurOwnRefusal(t *testing.T) {
	l, clk := simLimiter(20)
	ts := atFullRate(t, l, 3*time.Second)
	iv := ts[len(ts)-1].Sub(ts[len(ts)-2])
	for i, wait := range []int{2, 4} { // refusals of one event: the pause doubles
		at := clk.Now()
		if v := l.Throttled(ts[len(ts)-1]); v != refusalOurs {
			t.Fatalf("refusal %d: verdict %v", i, v)
		}
		next := sendN(t, l, 1)[0]
		if gap := next.Sub(at); gap < time.Duration(wait)*iv {
			t.Errorf("refusal %d: next send %v after it, want at least %d intervals (%v)", i, gap, wait, time.Duration(wait)*iv)
		}
		ts = append(ts, next)
	}
	if v := l.Throttled(ts[len(ts)-1]); v != refusalShared {
		t.Errorf("a third refusal within a second: verdict %v, want load", v)
	}
}
