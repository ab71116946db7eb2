package importer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
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
	create := ciam.ActionCreateUser
	tests := []struct {
		name         string
		errs         []error
		wantAttempts int
		wantErr      bool
	}{
		{"success", nil, 1, false},
		{"internal error then success", []error{apiErr(create, "InternalError"), apiErr(create, "ResourceUnavailable")}, 3, false},
		{"retryable exhausted", repeat(apiErr(create, "InternalError"), 10), 4, true},
		{"network error before send", repeat(classErr(create, ciam.Retryable, ciam.CodeNetworkError), 10), 4, true},
		{"in-doubt", []error{inDoubt()}, 1, true},
		{"conflict", []error{emailUsed()}, 1, true},
		{"rejected", []error{apiErr(create, "InvalidParameter")}, 1, true},
		{"fatal", []error{apiErr(create, "AuthFailure.SignatureFailure")}, 1, true},
		{"unclassified error", []error{errors.New("boom")}, 1, true},
		{"wrapped retryable", []error{errors.Join(errors.New("ctx"), apiErr(create, "InternalError"))}, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var events []RetryEvent
			sl := &sleepLog{}
			p := NewPacer(0, RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond},
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
				if e.Action != create || e.Attempt != i+1 || e.Err == nil || e.Err.Class != ciam.Retryable || e.Delay != sl.all()[i] {
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
		p := NewPacer(0, policy, WithSleep(sl.sleep))
		calls := 0
		n, err := p.Do(context.Background(), ciam.ActionCreateUser, failing(&calls, repeat(apiErr(ciam.ActionCreateUser, "InternalError"), 20)...))
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
			p := NewPacer(0, policy, WithSleep(sl.sleep))
			e := apiErr(ciam.ActionCreateUser, "RequestLimitExceeded")
			e.RetryAfter = tt.after
			calls := 0
			if _, err := p.Do(context.Background(), ciam.ActionCreateUser, failing(&calls, e)); err != nil {
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
		p := fastPacer(5)
		calls := 0
		n, err := p.Do(ctx, ciam.ActionCreateUser, func(context.Context) error {
			calls++
			cancel()
			// what the client answers for a call cancelled before it was written
			return &ciam.Error{Class: ciam.Retryable, Code: ciam.CodeCanceled, Err: context.Canceled}
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
			n, err := NewPacer(rate, RetryPolicy{}).Do(ctx, ciam.ActionCreateUser, failing(&calls))
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
		p := NewPacer(0, RetryPolicy{MaxAttempts: 5}, WithSleep(func(ctx context.Context, _ time.Duration) error {
			cancel()
			return ctx.Err()
		}))
		calls := 0
		n, err := p.Do(ctx, ciam.ActionCreateUser, failing(&calls, repeat(apiErr(ciam.ActionCreateUser, "InternalError"), 5)...))
		if n != 1 || calls != 1 || !errors.Is(err, context.Canceled) {
			t.Errorf("attempts %d, calls %d, err %v", n, calls, err)
		}
	})
	t.Run("real sleep of an hour", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := NewPacer(0, RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour},
			WithRetryHook(func(RetryEvent) { cancel() })) // cancel as the backoff starts
		done := make(chan error, 1)
		calls := 0
		go func() {
			_, err := p.Do(ctx, ciam.ActionCreateUser, failing(&calls, repeat(apiErr(ciam.ActionCreateUser, "InternalError"), 5)...))
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
	p := NewPacer(target, RetryPolicy{MaxAttempts: 2}, WithSleep(noSleep), WithRetryHook(func(e RetryEvent) { events = append(events, e) }))
	clk.useClock(p, ciam.ActionCreateUser, ciam.ActionDescribeUser)
	ctx := context.Background()
	create := func(errs ...error) {
		t.Helper()
		calls := 0
		if _, err := p.Do(ctx, ciam.ActionCreateUser, failing(&calls, errs...)); err != nil {
			t.Fatal(err)
		}
	}

	create(apiErr(ciam.ActionCreateUser, "InternalError")) // retryable, but not a rate limit
	if r := p.Rate(ciam.ActionCreateUser); r != target {
		t.Fatalf("InternalError changed the rate to %v", r)
	}
	create(apiErr(ciam.ActionCreateUser, "RequestLimitExceeded")) // far below the quota: someone else's load
	cut := p.Rate(ciam.ActionCreateUser)
	if cut >= target || cut < target*maxCut {
		t.Fatalf("after RequestLimitExceeded: rate %v, want cut from %v, at most to %v", cut, target, target*maxCut)
	}
	if d := events[len(events)-1].Delay; d != 0 {
		t.Errorf("a refusal backed off %v on top of the limiter", d)
	}
	create(apiErr(ciam.ActionCreateUser, "RequestLimitExceeded.FrequentRequest")) // same second: no second cut
	if r := p.Rate(ciam.ActionCreateUser); r != cut {
		t.Fatalf("two cuts within the cooldown: rate %v, want %v", r, cut)
	}
	clk.Advance(cutCooldown)
	create(apiErr(ciam.ActionCreateUser, "RequestLimitExceeded.FrequentRequest"))
	low := p.Rate(ciam.ActionCreateUser)
	if low >= cut {
		t.Fatalf("after a second window's limit: rate %v, want below %v", low, cut)
	}
	if r := p.Rate(ciam.ActionDescribeUser); r != target {
		t.Errorf("DescribeUser slowed down to %v by CreateUser's limits", r)
	}
	for i := range 20 { // the other load is gone: back at the target within seconds
		clk.Advance(raiseEvery)
		create()
		if r := p.Rate(ciam.ActionCreateUser); r == target {
			if i > 8 {
				t.Errorf("back at the target only %d s after the cut", i+1)
			}
			return
		}
	}
	t.Errorf("rate %v 20 s after the last refusal, want back at %v", p.Rate(ciam.ActionCreateUser), target)
}

func TestPacerConcurrency(t *testing.T) {
	clk := newFakeClock()
	p := NewPacer(20, RetryPolicy{MaxAttempts: 2, BaseDelay: 400 * time.Millisecond, MaxDelay: 400 * time.Millisecond}, WithSleep(noSleep))
	clk.useClock(p, ciam.ActionCreateUser)
	p.now = clk.Now
	if n := p.Concurrency(ciam.ActionCreateUser); n != 0 {
		t.Errorf("Concurrency %d before any call, want 0", n)
	}
	takes := func(d time.Duration, err error) func(context.Context) error {
		return func(context.Context) error { clk.Advance(d); return err }
	}
	for range 98 {
		_, _ = p.Do(context.Background(), ciam.ActionCreateUser, takes(100*time.Millisecond, nil))
	}
	if n := p.Concurrency(ciam.ActionCreateUser); n != 2+concurrencyMargin {
		t.Errorf("Concurrency %d with every call at 100ms, want %d", n, 2+concurrencyMargin)
	}
	// three slow calls, and one whose failure is followed by a backoff of 200-400ms
	for range 3 {
		_, _ = p.Do(context.Background(), ciam.ActionCreateUser, takes(1230*time.Millisecond, nil))
	}
	_, _ = p.Do(context.Background(), ciam.ActionCreateUser, failing(new(int), apiErr(ciam.ActionCreateUser, "InternalError")))
	for range 99 {
		_, _ = p.Do(context.Background(), ciam.ActionCreateUser, takes(100*time.Millisecond, nil))
	}
	if n := p.Concurrency(ciam.ActionCreateUser); n != 25+concurrencyMargin { // p99 of 202 attempts: 1.23s
		t.Errorf("Concurrency %d with a p99 of 1.23s at 20/s, want %d", n, 25+concurrencyMargin)
	}
	if n := NewPacer(0, RetryPolicy{}).Concurrency(ciam.ActionCreateUser); n != 0 {
		t.Errorf("unlimited: Concurrency %d, want 0", n)
	}
}

func TestPacerLimitersArePerAction(t *testing.T) {
	p := NewPacer(1000, RetryPolicy{MaxAttempts: 2}, WithSleep(noSleep))
	calls := 0
	_, _ = p.Do(context.Background(), ciam.ActionDescribeUser, failing(&calls, apiErr(ciam.ActionDescribeUser, "RequestLimitExceeded")))
	if r := p.Rate(ciam.ActionDescribeUser); r >= 1000 {
		t.Errorf("DescribeUser rate %v, want slowed", r)
	}
	for _, a := range []string{ciam.ActionCreateUser, ciam.ActionListUserByProperty} {
		if r := p.Rate(a); r != 1000 {
			t.Errorf("%s rate %v, want 1000", a, r)
		}
	}
	lim := func(a string) *adaptiveLimiter { l, _ := p.limiter(a); return l }
	if lim(ciam.ActionCreateUser) == lim(ciam.ActionDescribeUser) {
		t.Error("two actions share one limiter")
	}
	if first := lim(ciam.ActionCreateUser); first != lim(ciam.ActionCreateUser) {
		t.Error("one action got two limiters")
	}
}

func TestIsRateLimit(t *testing.T) {
	for code, want := range map[string]bool{
		"RequestLimitExceeded":                  true,
		"RequestLimitExceeded.FrequentRequest":  true,
		"RequestLimitExceeded.UinLimitExceeded": true,
		"RequestLimitExceededX":                 false,
		"LimitExceeded":                         false,
		"InternalError":                         false,
		"":                                      false,
	} {
		if got := isRateLimit(&ciam.Error{Code: code}); got != want {
			t.Errorf("isRateLimit(%q) = %v", code, got)
		}
	}
	if !isRateLimit(&ciam.Error{Code: ciam.CodeHTTPStatus, HTTPStatus: 429}) {
		t.Error("an HTTP 429 without an API body must slow the job down too")
	}
}

// TestPacerKeepsTheRateOnItsOwnJitter: a refusal while our own sends fill
// the quota widens the window instead of cutting the rate.
func TestPacerKeepsTheRateOnItsOwnJitter(t *testing.T) {
	clk := newFakeClock()
	p := NewPacer(20, RetryPolicy{MaxAttempts: 3}, WithSleep(noSleep))
	clk.useClock(p, ciam.ActionCreateUser)
	for range 60 { // three seconds at the quota, on the fake clock
		if _, err := p.Do(context.Background(), ciam.ActionCreateUser, failing(new(int))); err != nil {
			t.Fatal(err)
		}
	}
	lim, _ := p.limiter(ciam.ActionCreateUser)
	before := lim.Slack()
	n, err := p.Do(context.Background(), ciam.ActionCreateUser, failing(new(int), apiErr(ciam.ActionCreateUser, "RequestLimitExceeded")))
	if err != nil || n != 2 {
		t.Fatalf("attempts %d, err %v", n, err)
	}
	if r := p.Rate(ciam.ActionCreateUser); r != 20 || lim.Slack() != before+slackStep {
		t.Errorf("rate %v, slack %v: want 20 and %v", r, lim.Slack(), before+slackStep)
	}
}
