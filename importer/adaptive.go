package importer

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// adaptiveLimiter is a rate.Limiter with burst 1 (so no one-second window
// carries more than the rate) that slows down when the service says the quota
// is exhausted, since other callers share it, and speeds back up over time:
// multiplicative decrease, additive increase.
type adaptiveLimiter struct {
	target float64 // configured rate; <= 0 means unlimited
	now    func() time.Time
	lim    *rate.Limiter
	guard  *windowGuard // the hard per-second bound, at the configured quota

	mu        sync.Mutex
	current   float64
	lastCut   time.Time
	lastRaise time.Time
}

const (
	cutFactor   = 0.85        // rate multiplier on a RequestLimitExceeded (make bench, figure 4)
	cutCooldown = time.Second // one cut per window, however many 429s arrive in it
	minRate     = 0.5         // never slower than this many requests per second (or the target, if lower)
	raiseEvery  = time.Second // additive increase period
	raiseShare  = 0.025       // share of the target regained per period
	// headroom paces slightly under the rate, so that network jitter cannot
	// push a 21st request into a one-second window of a 20/s quota: at 20/s
	// the 20 requests of any window span 1010ms instead of 1000ms.
	headroom = 0.99
)

func newAdaptiveLimiter(target float64, now func() time.Time) *adaptiveLimiter {
	l := &adaptiveLimiter{target: target, current: target, now: now}
	if target > 0 {
		l.lim = rate.NewLimiter(rate.Limit(target*headroom), 1)
		l.guard = newWindowGuard(int(target), now, sleepCtx)
	}
	return l
}

// Wait blocks until a request may be sent, or ctx ends, and returns the
// send time it admitted (zero when unlimited).
func (l *adaptiveLimiter) Wait(ctx context.Context) (time.Time, error) {
	if l.lim == nil {
		return time.Time{}, ctx.Err()
	}
	if err := l.lim.Wait(ctx); err != nil {
		return time.Time{}, err
	}
	return l.guard.admit(ctx)
}

// Throttled records a RequestLimitExceeded answer.
func (l *adaptiveLimiter) Throttled() {
	if l.lim == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	if t.Sub(l.lastCut) < cutCooldown {
		return
	}
	l.lastCut, l.lastRaise = t, t
	l.set(max(l.current*cutFactor, min(minRate, l.target))) // the floor never lifts a slower target
}

// Success records an accepted call and regains rate once per raiseEvery.
func (l *adaptiveLimiter) Success() {
	if l.lim == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.current >= l.target {
		return
	}
	t := l.now()
	if t.Sub(l.lastRaise) < raiseEvery {
		return
	}
	l.lastRaise = t
	l.set(min(l.current+l.target*raiseShare, l.target))
}

// Current is the rate now allowed.
func (l *adaptiveLimiter) Current() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current
}

func (l *adaptiveLimiter) set(r float64) {
	l.current = r
	l.lim.SetLimit(rate.Limit(r * headroom))
}
