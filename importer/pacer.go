package importer

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// RetryPolicy says how often and how patiently a retryable call is repeated.
type RetryPolicy struct {
	MaxAttempts int           // total attempts per call, first included; default 8
	BaseDelay   time.Duration // delay before the second attempt; default 200ms
	MaxDelay    time.Duration // cap of one delay; default 16s
}

// The defaults retry a blip quickly (the first retry after 100-200 ms, so
// the last rows of a job do not wait half a second each) and still wait
// out an outage of about 20 s (7 delays of 0.2, 0.4 ... 12.8 s, each
// halved at worst by the jitter) before a row is left retryable.
const (
	defaultAttempts  = 8
	defaultBaseDelay = 200 * time.Millisecond
	defaultMaxDelay  = 16 * time.Second
)

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = defaultAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = defaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = defaultMaxDelay
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
// quota is per action (so lookups never take CreateUser's quota); within
// an action, first sends and resends wait in one first-come line, so a
// retry takes the next free slot and never leaves one empty. See
// adaptiveLimiter for the pacing. Pacer never retries in-doubt, conflict, rejected or
// fatal errors, nor a cancelled context. It is safe for concurrent use.
type Pacer struct {
	policy  RetryPolicy
	rate    float64
	onRetry func(RetryEvent)
	onSend  func(action string, at time.Time)
	sleep   func(ctx context.Context, d time.Duration) error

	now func() time.Time // measures how long calls take

	mu       sync.Mutex
	limiters map[string]*adaptiveLimiter
	occupied map[string]*occupancy
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
		now:      time.Now,
		limiters: map[string]*adaptiveLimiter{},
		occupied: map[string]*occupancy{},
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
//
// A RequestLimitExceeded is resent without a backoff of its own (only a
// Retry-After is honoured): the limiter, which has just learnt from the
// refusal, decides when it goes. Without a rate there is no limiter, and
// the policy's backoff applies as for every other retryable error.
func (p *Pacer) Do(ctx context.Context, action string, call func(context.Context) error) (int, error) {
	lim, occ := p.limiter(action)
	for attempt := 1; ; attempt++ {
		at, err := lim.Wait(ctx)
		if err != nil {
			return attempt - 1, err
		}
		if p.onSend != nil {
			p.onSend(action, at)
		}
		began := p.now()
		err = call(ctx)
		took := p.now().Sub(began)
		if err == nil {
			lim.Success()
			occ.add(took)
			return attempt, nil
		}
		var ce *ciam.Error
		if !errors.As(err, &ce) || ce.Class != ciam.Retryable || ctx.Err() != nil || attempt >= p.maxAttempts(ce) {
			occ.add(took)
			return attempt, err
		}
		d := p.backoff(lim, ce, at, attempt)
		occ.add(took + d)
		if p.onRetry != nil {
			p.onRetry(RetryEvent{Action: action, Attempt: attempt, Delay: d, Err: ce})
		}
		if err := p.sleep(ctx, d); err != nil {
			return attempt, err
		}
	}
}

// backoff is the delay before the attempt after a retryable failure of
// the attempt sent at at.
func (p *Pacer) backoff(lim *adaptiveLimiter, ce *ciam.Error, at time.Time, attempt int) time.Duration {
	after := min(ce.RetryAfter, p.policy.MaxDelay)
	if isRateLimit(ce) && p.rate > 0 {
		lim.Throttled(at)
		return after
	}
	return max(p.policy.delay(attempt, p.random), after)
}

// Rate reports the current allowed rate of action (after slow-downs).
func (p *Pacer) Rate(action string) float64 {
	lim, _ := p.limiter(action)
	return lim.Current()
}

// Concurrency returns how many concurrent callers of Do keep action's
// quota full: the configured rate times the 99th percentile of the time
// one attempt holds its caller (the call itself, plus the backoff after a
// failure; waiting for the quota does not count), over the last
// occupancySamples attempts, rounded up, plus concurrencyMargin. Fewer
// callers leave the quota partly unused whenever slow answers pile up;
// more only wait in line (served first come, first served). It returns 0
// while the rate is unlimited or no attempt has finished yet: keep a
// default then. With the bench's latency (median 150 ms, p99 1.2 s) at
// 20/s it is about 26.
func (p *Pacer) Concurrency(action string) int {
	_, occ := p.limiter(action)
	q, ok := occ.quantile(0.99)
	if p.rate <= 0 || !ok {
		return 0
	}
	return int(math.Ceil(p.rate*q.Seconds())) + concurrencyMargin
}

func (p *Pacer) limiter(action string) (*adaptiveLimiter, *occupancy) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l, ok := p.limiters[action]
	if !ok {
		l = newAdaptiveLimiter(p.rate, time.Now)
		p.limiters[action] = l
	}
	o, ok := p.occupied[action]
	if !ok {
		o = &occupancy{}
		p.occupied[action] = o
	}
	return l, o
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

const (
	occupancySamples  = 1024 // attempts Concurrency looks at
	concurrencyMargin = 2    // callers on top of rate x p99
)

// occupancy keeps how long the last attempts of one action held their
// callers.
type occupancy struct {
	mu   sync.Mutex
	ring [occupancySamples]time.Duration
	n    int // attempts recorded, ever
}

func (o *occupancy) add(d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ring[o.n%occupancySamples] = d
	o.n++
}

// quantile returns the q-quantile (nearest rank) of the recorded times.
func (o *occupancy) quantile(q float64) (time.Duration, bool) {
	o.mu.Lock()
	s := slices.Clone(o.ring[:min(o.n, occupancySamples)])
	o.mu.Unlock()
	if len(s) == 0 {
		return 0, false
	}
	slices.Sort(s)
	return s[min(len(s)-1, int(math.Ceil(q*float64(len(s))))-1)], true
}

// unreachableAttempts bounds the attempts of a call that never reached the
// service (refused, DNS, TLS): a wrong endpoint stops the job within a few
// requests (the streak guard) rather than after a long backoff per row.
const unreachableAttempts = 3

func (p *Pacer) maxAttempts(ce *ciam.Error) int {
	if ce.Unreachable || ce.NotAPI { // a wrong endpoint, whether it answers or not
		return min(p.policy.MaxAttempts, unreachableAttempts)
	}
	return p.policy.MaxAttempts
}
