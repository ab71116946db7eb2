package pace

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// RetryEvent describes one failed attempt that will be retried.
type RetryEvent struct {
	Action  string
	Attempt int           // the attempt that failed, from 1
	Delay   time.Duration // the backoff before the next attempt (0 after a rate-limit refusal)
	Err     error         // the attempt's error, as the call returned it
}

// Pacer holds calls to a service's quota and retries what is retryable.
// Each action has its own limiter and policy, since the quota is per
// action (so one action's refusals never slow another); within an action,
// first sends and resends wait in one first-come line, so a retry takes the
// next free slot and never leaves one empty. Pacer never retries what
// Classify does not call retryable, nor once the caller's context has
// ended. It is safe for concurrent use.
type Pacer struct {
	retry    RetryPolicy
	rate     float64
	classify Classify
	onRetry  func(RetryEvent)
	onSend   func(action string, at time.Time)
	sleep    func(ctx context.Context, d time.Duration) error // backoff
	now      func() time.Time                                 // the limiters' clock
	wait     func(ctx context.Context, d time.Duration) error // the limiters' sleep

	mu    sync.Mutex
	lanes map[string]*lane
	rnd   *rand.Rand
}

// lane is one action's pacing: the mechanism and the policy that moves it.
type lane struct {
	lim *limiter
	ctl *adaptive
}

// Option configures a Pacer.
type Option func(*Pacer)

// WithRetryHook calls fn before every retry (for logs and progress).
func WithRetryHook(fn func(RetryEvent)) Option { return func(p *Pacer) { p.onRetry = fn } }

// WithSendHook calls fn with the time the limiter admitted each request
// (the zero time when the rate is unlimited).
func WithSendHook(fn func(action string, at time.Time)) Option {
	return func(p *Pacer) { p.onSend = fn }
}

// WithSleep replaces the backoff sleep (tests shrink delays with it). It
// must return ctx's error if ctx ends first.
func WithSleep(fn func(ctx context.Context, d time.Duration) error) Option {
	return func(p *Pacer) { p.sleep = fn }
}

// withClock runs the limiters on now, waiting with wait (tests).
func withClock(now func() time.Time, wait func(context.Context, time.Duration) error) Option {
	return func(p *Pacer) { p.now, p.wait = now, wait }
}

// New returns a Pacer holding each action to ratePerSecond (<= 0 means
// unlimited), reading errors with classify (nil: nothing is retried) and
// retrying by policy (zero fields take the defaults).
func New(ratePerSecond float64, policy RetryPolicy, classify Classify, opts ...Option) *Pacer {
	if classify == nil {
		classify = func(error) Verdict { return Verdict{} }
	}
	p := &Pacer{
		retry: policy.withDefaults(), rate: ratePerSecond, classify: classify,
		sleep: Sleep, now: time.Now, wait: Sleep,
		lanes: map[string]*lane{},
		rnd:   rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x9e3779b97f4a7c15)),
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Do runs call under action's limiter, retrying retryable failures. It
// returns the number of attempts made (0 if ctx ended before the first)
// and the last error: the call's, unchanged, or ctx's.
//
// A rate-limit refusal is resent without a backoff of its own (only a
// RetryAfter is honoured): the limiter, which has just learnt from the
// refusal, decides when it goes. Without a rate there is no limiter, and
// the policy's backoff applies as for every other retryable error.
func (p *Pacer) Do(ctx context.Context, action string, call func(context.Context) error) (int, error) {
	ln := p.lane(action)
	for attempt := 1; ; attempt++ {
		at, err := ln.lim.Wait(ctx)
		if err != nil {
			return attempt - 1, err
		}
		if p.onSend != nil {
			p.onSend(action, at)
		}
		err = call(ctx)
		if err == nil {
			ln.ctl.Success()
			return attempt, nil
		}
		v := p.classify(err)
		if !v.Retryable || ctx.Err() != nil || attempt >= p.retry.attempts(v) {
			return attempt, err
		}
		d := p.backoff(ln, v, at, attempt)
		if p.onRetry != nil {
			p.onRetry(RetryEvent{Action: action, Attempt: attempt, Delay: d, Err: err})
		}
		if err := p.sleep(ctx, d); err != nil {
			return attempt, err
		}
	}
}

// backoff is the delay before the attempt after a retryable failure of
// the attempt sent at at.
func (p *Pacer) backoff(ln *lane, v Verdict, at time.Time, attempt int) time.Duration {
	after := min(v.RetryAfter, p.retry.MaxDelay)
	if v.RateLimited && p.rate > 0 {
		ln.ctl.Throttled(at)
		return after
	}
	return max(p.retry.delay(attempt, p.random), after)
}

// Rate reports the rate now allowed for action (after slow-downs); the
// configured rate while unlimited.
func (p *Pacer) Rate(action string) float64 {
	return p.lane(action).ctl.Current()
}

// lane returns action's pacing, made on first use.
func (p *Pacer) lane(action string) *lane {
	p.mu.Lock()
	defer p.mu.Unlock()
	ln, ok := p.lanes[action]
	if !ok {
		lim := newLimiter(p.rate, p.now, p.wait)
		ln = &lane{lim: lim, ctl: newAdaptive(lim)}
		p.lanes[action] = ln
	}
	return ln
}

func (p *Pacer) random() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rnd.Float64()
}
