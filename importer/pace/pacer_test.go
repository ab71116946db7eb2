package pace

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// sleepLog records the backoff sleeps of a Pacer.
type sleepLog struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.ds = append(s.ds, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}

// failing returns a call that fails with errs in turn, then succeeds, and
// counts its calls.
func failing(calls *int, errs ...error) func(context.Context) error {
	return func(context.Context) error {
		*calls++
		if *calls <= len(errs) {
			return errs[*calls-1]
		}
		return nil
	}
}

func repeat(err error, n int) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

func TestRetryPolicyDelay(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	tests := []struct {
		n    int
		rnd  float64
		want time.Duration
	}{
		{1, 0, 50 * time.Millisecond},
		{1, 0.5, 75 * time.Millisecond},
		{2, 0, 100 * time.Millisecond},
		{3, 1, 400 * time.Millisecond},
		{4, 0, 400 * time.Millisecond},
		{5, 0, 500 * time.Millisecond}, // 1.6s capped at 1s
		{5, 1, time.Second},
		{40, 0.25, 625 * time.Millisecond}, // shift beyond 30 bits: still the cap
		{1000, 1, time.Second},
	}
	for _, tt := range tests {
		if got := p.delay(tt.n, func() float64 { return tt.rnd }); got != tt.want {
			t.Errorf("delay(%d, rnd %v) = %v, want %v", tt.n, tt.rnd, got, tt.want)
		}
	}
	d := RetryPolicy{}.withDefaults()
	if d.MaxAttempts != 8 || d.BaseDelay != 200*time.Millisecond || d.MaxDelay != 16*time.Second {
		t.Errorf("defaults %+v", d)
	}
}

func TestPacerRetriesOnlyRetryable(t *testing.T) {
	tests := []struct {
		name         string
		errs         []error
		wantAttempts int
		wantErr      bool
	}{
		{"success", nil, 1, false},
		{"internal error then success", []error{internalErr(), internalErr()}, 3, false},
		{"retryable exhausted", repeat(internalErr(), 10), 4, true},
		{"unreachable: at most 3 attempts", repeat(unreachable(), 10), unreachableAttempts, true},
		{"unreachable once, then retryable", append([]error{unreachable()}, repeat(internalErr(), 10)...), 4, true},
		{"in-doubt", []error{permanentErr("Timeout")}, 1, true},
		{"conflict", []error{permanentErr("FailedOperation.EmailAlreadyExists")}, 1, true},
		{"rejected", []error{permanentErr("InvalidParameter")}, 1, true},
		{"unclassified error", []error{errors.New("boom")}, 1, true},
		{"wrapped retryable", []error{errors.Join(errors.New("ctx"), internalErr())}, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var events []RetryEvent
			sl := &sleepLog{}
			p := New(0, RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}, classify,
				WithSleep(sl.sleep), WithRetryHook(func(e RetryEvent) { events = append(events, e) }))
			calls := 0
			n, err := p.Do(context.Background(), create, failing(&calls, tt.errs...))
			if n != tt.wantAttempts || calls != tt.wantAttempts {
				t.Errorf("attempts %d (calls %d), want %d", n, calls, tt.wantAttempts)
			}
			if (err != nil) != tt.wantErr {
				t.Errorf("err %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr && err != tt.errs[min(n, len(tt.errs))-1] {
				t.Errorf("err %v is not the last call's error", err)
			}
			if len(events) != tt.wantAttempts-1 || len(sl.all()) != tt.wantAttempts-1 {
				t.Fatalf("%d retry events and %d sleeps, want %d", len(events), len(sl.all()), tt.wantAttempts-1)
			}
			for i, e := range events {
				if e.Action != create || e.Attempt != i+1 || e.Err != tt.errs[i] || !classify(e.Err).Retryable || e.Delay != sl.all()[i] {
					t.Errorf("event %d = %+v (slept %v)", i, e, sl.all()[i])
				}
			}
		})
	}
}

func TestPacerBackoffIsCappedExponentialWithJitter(t *testing.T) {
	policy := RetryPolicy{MaxAttempts: 9, BaseDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}
	for run := range 20 { // jitter is random: look at many draws
		sl := &sleepLog{}
		p := New(0, policy, classify, WithSleep(sl.sleep))
		calls := 0
		n, err := p.Do(context.Background(), create, failing(&calls, repeat(internalErr(), 20)...))
		if n != 9 || err == nil {
			t.Fatalf("run %d: %d attempts, err %v", run, n, err)
		}
		for i, d := range sl.all() {
			full := min(policy.BaseDelay<<i, policy.MaxDelay)
			if d < full/2 || d > full {
				t.Errorf("run %d: delay before attempt %d = %v, want in [%v, %v]", run, i+2, d, full/2, full)
			}
		}
	}
}

func TestPacerHonoursRetryAfter(t *testing.T) {
	policy := RetryPolicy{MaxAttempts: 2, BaseDelay: 10 * time.Millisecond, MaxDelay: 10 * time.Second}
	tests := []struct {
		name     string
		after    time.Duration
		min, max time.Duration
	}{
		{"none", 0, 5 * time.Millisecond, 10 * time.Millisecond},
		{"longer than backoff", 3 * time.Second, 3 * time.Second, 3 * time.Second},
		{"capped at MaxDelay", time.Hour, 10 * time.Second, 10 * time.Second},
		{"shorter than backoff", time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sl := &sleepLog{}
			p := New(0, policy, classify, WithSleep(sl.sleep))
			e := refusedErr()
			e.v.RetryAfter = tt.after
			calls := 0
			if _, err := p.Do(context.Background(), create, failing(&calls, e)); err != nil {
				t.Fatal(err)
			}
			if ds := sl.all(); len(ds) != 1 || ds[0] < tt.min || ds[0] > tt.max {
				t.Errorf("slept %v, want one sleep in [%v, %v]", ds, tt.min, tt.max)
			}
		})
	}
}

func TestPacerNeverRetriesCancellation(t *testing.T) {
	t.Run("context ended by the call", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := New(0, RetryPolicy{MaxAttempts: 5}, classify, WithSleep(noSleep))
		calls := 0
		n, err := p.Do(ctx, create, func(context.Context) error {
			calls++
			cancel()
			// what the client answers for a call cancelled before it was written
			return errors.Join(internalErr(), context.Canceled)
		})
		if n != 1 || calls != 1 || !errors.Is(err, context.Canceled) {
			t.Errorf("attempts %d, calls %d, err %v: a cancelled call must not be retried", n, calls, err)
		}
	})
	for _, rate := range []float64{0, 1000} {
		t.Run(fmt.Sprintf("context ended before the call, rate %v", rate), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			calls := 0
			n, err := New(rate, RetryPolicy{}, classify).Do(ctx, create, failing(&calls))
			if n != 0 || calls != 0 || !errors.Is(err, context.Canceled) {
				t.Errorf("rate %v: attempts %d, calls %d, err %v", rate, n, calls, err)
			}
		})
	}
}

func TestPacerStopsWhenCancelledDuringBackoff(t *testing.T) {
	t.Run("injected sleep", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := New(0, RetryPolicy{MaxAttempts: 5}, classify, WithSleep(func(ctx context.Context, _ time.Duration) error {
			cancel()
			return ctx.Err()
		}))
		calls := 0
		n, err := p.Do(ctx, create, failing(&calls, repeat(internalErr(), 5)...))
		if n != 1 || calls != 1 || !errors.Is(err, context.Canceled) {
			t.Errorf("attempts %d, calls %d, err %v", n, calls, err)
		}
	})
	t.Run("real sleep of an hour", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := New(0, RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}, classify,
			WithRetryHook(func(RetryEvent) { cancel() })) // cancel as the backoff starts
		done := make(chan error, 1)
		calls := 0
		go func() {
			_, err := p.Do(ctx, create, failing(&calls, repeat(internalErr(), 5)...))
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) || calls != 1 {
				t.Errorf("err %v after %d calls", err, calls)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Do kept sleeping after its context was cancelled")
		}
	})
}

func TestPacerRateLimitCodesSlowDownThenRecover(t *testing.T) {
	const target = 1000.0
	clk := newFakeClock()
	var events []RetryEvent
	p := New(target, RetryPolicy{MaxAttempts: 2}, classify, WithSleep(noSleep), withClock(clk.Now, clk.sleep),
		WithRetryHook(func(e RetryEvent) { events = append(events, e) }))
	ctx := context.Background()
	send := func(errs ...error) {
		t.Helper()
		calls := 0
		if _, err := p.Do(ctx, create, failing(&calls, errs...)); err != nil {
			t.Fatal(err)
		}
	}

	send(internalErr()) // retryable, but not a rate limit
	if r := p.Rate(create); r != target {
		t.Fatalf("InternalError changed the rate to %v", r)
	}
	send(refusedErr()) // far below the quota: someone else's load
	cut := p.Rate(create)
	if cut >= target || cut < target*maxCut {
		t.Fatalf("after RequestLimitExceeded: rate %v, want cut from %v, at most to %v", cut, target, target*maxCut)
	}
	if d := events[len(events)-1].Delay; d != 0 {
		t.Errorf("a refusal backed off %v on top of the limiter", d)
	}
	send(refusedErr()) // same second: no second cut
	if r := p.Rate(create); r != cut {
		t.Fatalf("two cuts within the cooldown: rate %v, want %v", r, cut)
	}
	clk.Advance(cutCooldown)
	send(refusedErr())
	low := p.Rate(create)
	if low >= cut {
		t.Fatalf("after a second window's limit: rate %v, want below %v", low, cut)
	}
	if r := p.Rate(describe); r != target {
		t.Errorf("DescribeUser slowed down to %v by CreateUser's limits", r)
	}
	for i := range 20 { // the other load is gone: back at the target within seconds
		clk.Advance(raiseEvery)
		send()
		if r := p.Rate(create); r == target {
			if i > 8 {
				t.Errorf("back at the target only %d s after the cut", i+1)
			}
			return
		}
	}
	t.Errorf("rate %v 20 s after the last refusal, want back at %v", p.Rate(create), target)
}

func TestPacerLimitersArePerAction(t *testing.T) {
	p := New(1000, RetryPolicy{MaxAttempts: 2}, classify, WithSleep(noSleep))
	calls := 0
	_, _ = p.Do(context.Background(), describe, failing(&calls, refusedErr()))
	if r := p.Rate(describe); r >= 1000 {
		t.Errorf("DescribeUser rate %v, want slowed", r)
	}
	for _, a := range []string{create, list} {
		if r := p.Rate(a); r != 1000 {
			t.Errorf("%s rate %v, want 1000", a, r)
		}
	}
	lim := p.lane
	if lim(create) == lim(describe) {
		t.Error("two actions share one limiter")
	}
	if first := lim(create); first != lim(create) {
		t.Error("one action got two limiters")
	}
}

// TestPacerKeepsTheRateOnItsOwnJitter: a refusal while our own sends fill
// the quota widens the window instead of cutting the rate.
func TestPacerKeepsTheRateOnItsOwnJitter(t *testing.T) {
	clk := newFakeClock()
	p := New(20, RetryPolicy{MaxAttempts: 3}, classify, WithSleep(noSleep), withClock(clk.Now, clk.sleep))
	for range 60 { // three seconds at the quota, on the fake clock
		if _, err := p.Do(context.Background(), create, failing(new(int))); err != nil {
			t.Fatal(err)
		}
	}
	lim := p.lane(create).ctl
	before := lim.Slack()
	n, err := p.Do(context.Background(), create, failing(new(int), refusedErr()))
	if err != nil || n != 2 {
		t.Fatalf("attempts %d, err %v", n, err)
	}
	if r := p.Rate(create); r != 20 || lim.Slack() != before+slackStep {
		t.Errorf("rate %v, slack %v: want 20 and %v", r, lim.Slack(), before+slackStep)
	}
}
