package importer

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// RetryPolicy says how often and how patiently a retryable call is repeated.
type RetryPolicy struct {
	MaxAttempts int           // total attempts per call, first included; default 6
	BaseDelay   time.Duration // delay before the second attempt; default 500ms
	MaxDelay    time.Duration // cap of one delay; default 16s
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 6
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 16 * time.Second
	}
	return p
}

// delay is the capped exponential backoff before attempt n+1 (n >= 1), with
// "equal jitter": half fixed, half random, so retries of many workers spread.
func (p RetryPolicy) delay(n int, rnd func() float64) time.Duration {
	d := p.BaseDelay << min(n-1, 30)
	if d <= 0 || d > p.MaxDelay {
		d = p.MaxDelay
	}
	half := d / 2
	return half + time.Duration(rnd()*float64(half))
}

// RetryEvent describes one failed attempt that will be retried.
type RetryEvent struct {
	Action  string
	Attempt int
	Delay   time.Duration
	Err     *ciam.Error
}

// Pacer is the one wrapper that holds calls to the CIAM quota and retries
// what is retryable. Each action has its own limiter, since the service's
// quota is per action. Pacer never retries in-doubt, conflict, rejected or
// fatal errors, nor a cancelled context. It is safe for concurrent use.
type Pacer struct {
	policy  RetryPolicy
	rate    float64
	onRetry func(RetryEvent)
	onSend  func(action string, at time.Time)
	sleep   func(ctx context.Context, d time.Duration) error

	mu       sync.Mutex
	limiters map[string]*adaptiveLimiter
	rnd      *rand.Rand
}

// PacerOption configures a Pacer.
type PacerOption func(*Pacer)

// WithRetryHook calls fn before every retry (for logs and progress).
func WithRetryHook(fn func(RetryEvent)) PacerOption { return func(p *Pacer) { p.onRetry = fn } }

// WithSendHook calls fn with the time the limiter admitted each request.
func WithSendHook(fn func(action string, at time.Time)) PacerOption {
	return func(p *Pacer) { p.onSend = fn }
}

// WithSleep replaces the backoff sleep (tests shrink delays with it).
func WithSleep(fn func(ctx context.Context, d time.Duration) error) PacerOption {
	return func(p *Pacer) { p.sleep = fn }
}

// NewPacer returns a Pacer holding each action to ratePerSecond (<= 0 means
// unlimited) and retrying by policy.
func NewPacer(ratePerSecond float64, policy RetryPolicy, opts ...PacerOption) *Pacer {
	p := &Pacer{
		policy:   policy.withDefaults(),
		rate:     ratePerSecond,
		sleep:    sleepCtx,
		limiters: map[string]*adaptiveLimiter{},
		rnd:      rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x9e3779b97f4a7c15)),
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Do runs call under action's limiter, retrying retryable failures. It
// returns the number of attempts made and the last error, which is a
// *ciam.Error or a context error.
func (p *Pacer) Do(ctx context.Context, action string, call func(context.Context) error) (int, error) {
	lim := p.limiter(action)
	for attempt := 1; ; attempt++ {
		at, err := lim.Wait(ctx)
		if err != nil {
			return attempt - 1, err
		}
		if p.onSend != nil {
			p.onSend(action, at)
		}
		err = call(ctx)
		if err == nil {
			lim.Success()
			return attempt, nil
		}
		var ce *ciam.Error
		if !errors.As(err, &ce) || ce.Class != ciam.Retryable || ctx.Err() != nil || attempt >= p.policy.MaxAttempts {
			return attempt, err
		}
		if isRateLimit(ce) {
			lim.Throttled()
		}
		d := max(p.policy.delay(attempt, p.random), min(ce.RetryAfter, p.policy.MaxDelay))
		if p.onRetry != nil {
			p.onRetry(RetryEvent{Action: action, Attempt: attempt, Delay: d, Err: ce})
		}
		if err := p.sleep(ctx, d); err != nil {
			return attempt, err
		}
	}
}

// Rate reports the current allowed rate of action (after slow-downs).
func (p *Pacer) Rate(action string) float64 { return p.limiter(action).Current() }

func (p *Pacer) limiter(action string) *adaptiveLimiter {
	p.mu.Lock()
	defer p.mu.Unlock()
	l, ok := p.limiters[action]
	if !ok {
		l = newAdaptiveLimiter(p.rate, time.Now)
		p.limiters[action] = l
	}
	return l
}

func (p *Pacer) random() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rnd.Float64()
}

// isRateLimit tells the answers that mean the quota is exhausted: any
// RequestLimitExceeded code, or an HTTP 429 without an API body.
func isRateLimit(ce *ciam.Error) bool {
	return ce.Code == "RequestLimitExceeded" || strings.HasPrefix(ce.Code, "RequestLimitExceeded.") || ce.HTTPStatus == 429
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
