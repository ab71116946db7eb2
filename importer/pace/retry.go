package pace

import "time"

// Verdict is what the caller's Classify function reads from a failed
// call's error.
type Verdict struct {
	// Retryable: the call may be sent again. Nothing else is retried.
	Retryable bool
	// RateLimited: the service refused the call for its quota. The
	// limiter learns from it, and the resend waits for the limiter's next
	// slot and RetryAfter only, with no backoff of its own.
	RateLimited bool
	// RetryAfter is the service's own wait before a resend (0: none). It
	// is honoured up to RetryPolicy.MaxDelay.
	RetryAfter time.Duration
	// Unreachable: the call never reached the service (refused, DNS,
	// TLS). Such a call is tried at most unreachableAttempts times, so a
	// wrong endpoint shows within a few requests.
	Unreachable bool
}

// Classify reads a failed call's error (never nil). It must not block.
type Classify func(error) Verdict

// RetryPolicy says how often and how patiently a retryable call is repeated.
type RetryPolicy struct {
	MaxAttempts int           // total attempts per call, first included; default 8
	BaseDelay   time.Duration // delay before the second attempt; default 200ms
	MaxDelay    time.Duration // cap of one delay, Retry-After included; default 16s
}

// The defaults retry a blip quickly (the first retry after 100-200 ms, so
// the last rows of a run do not wait half a second each) and still wait
// out an outage of about 20 s (7 delays of 0.2, 0.4 ... 12.8 s, each
// halved at worst by the jitter) before a call is given up.
const (
	defaultAttempts  = 8
	defaultBaseDelay = 200 * time.Millisecond
	defaultMaxDelay  = 16 * time.Second
)

// unreachableAttempts bounds the attempts of a call that never reached the
// service: a wrong endpoint stops the caller within a few requests rather
// than after a long backoff per call.
const unreachableAttempts = 3

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
// "equal jitter": half fixed, half random (rnd in [0, 1)), so retries of
// many callers spread.
func (p RetryPolicy) delay(n int, rnd func() float64) time.Duration {
	d := p.BaseDelay << min(n-1, 30)
	if d <= 0 || d > p.MaxDelay {
		d = p.MaxDelay
	}
	half := d / 2
	return half + time.Duration(rnd()*float64(half))
}

// attempts is how many attempts a call with verdict v gets in all.
func (p RetryPolicy) attempts(v Verdict) int {
	if v.Unreachable {
		return min(p.MaxAttempts, unreachableAttempts)
	}
	return p.MaxAttempts
}
