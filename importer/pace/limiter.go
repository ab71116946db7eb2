package pace

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is the mechanism that paces the sends of one action. It decides
// nothing: the policy (adaptive) sets its rate, its slack and its pauses.
//
//   - The grid: a rate.Limiter with burst 1 hands out one send slot per
//     interval. The caller at the head of the line reserves its slot and
//     sleeps until it, so a goroutine that wakes late does not shift the
//     later slots, and a caller that comes after an idle spell goes at
//     once and starts the grid again. Only the head holds a reservation:
//     a new rate applies from the next send on, with no slots taken in
//     advance at the old one.
//   - The window guard: no half-open window of 1s+slack holds more than
//     n = int(target) of our sends, checked on the actual send times
//     (sendLog), whatever the grid, the rate or the scheduling. With
//     slack >= 0 no one-second window exceeds the quota.
//   - The line: callers are served first come, first served.
//
// At the target, the grid spacing is widened so that it never puts more
// than n sends in 1s+slack; below it, the spacing is the rate's, scaled by
// the same factor. It is safe for concurrent use.
type limiter struct {
	target float64 // configured rate; <= 0 means unlimited
	n      int     // sends allowed per window: int(target), at least 1
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	line   line

	mu       sync.Mutex
	grid     *rate.Limiter // burst 1: one slot per interval
	gridTime time.Time     // the latest time the grid was moved to (a slot may be reserved ahead)
	sends    *sendLog
	rate     float64       // allowed rate, <= target
	slack    time.Duration // the guard's window is 1s + slack
	hold     time.Time     // no send before this
}

// newLimiter returns a limiter at target (<= 0: unlimited) on the clock
// now, waiting with sleep.
func newLimiter(target float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	n := max(int(target), 1)
	l := &limiter{target: target, n: n, now: now, sleep: sleep, sends: newSendLog(sendLogSize(n)), rate: target}
	l.grid = rate.NewLimiter(l.limit(), 1)
	return l
}

// Wait blocks until a request may be sent, or ctx ends, and returns the
// send time it admitted (zero when unlimited). Callers are served in the
// order they called. An error is ctx's; nothing was admitted then.
func (l *limiter) Wait(ctx context.Context) (time.Time, error) {
	if err := ctx.Err(); err != nil || l.target <= 0 {
		return time.Time{}, err
	}
	if err := l.line.enter(ctx); err != nil {
		return time.Time{}, err
	}
	defer l.line.leave()
	for {
		slot, r := l.reserve()
		if err := l.sleepUntil(ctx, slot); err != nil {
			l.cancel(r) // the next caller may have the slot
			return time.Time{}, err
		}
		if at, ok := l.admit(); ok {
			return at, nil
		}
		// a pause or a wider window came while we slept: that slot is spent
	}
}

// reserve takes the head's slot on the grid, no earlier than the pause and
// the window guard allow.
func (l *limiter) reserve() (time.Time, *rate.Reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	from := maxTime(maxTime(now, l.gridTime), maxTime(l.hold, now.Add(l.sends.guardWait(now, l.n, l.window()))))
	r := l.grid.ReserveN(from, 1)
	l.gridTime = from
	return from.Add(r.DelayFrom(from)), r
}

// sleepUntil sleeps until t, if t is still ahead.
func (l *limiter) sleepUntil(ctx context.Context, t time.Time) error {
	if d := t.Sub(l.now()); d > 0 {
		return l.sleep(ctx, d)
	}
	return ctx.Err()
}

// cancel gives back the slot of a caller who left the line before it.
func (l *limiter) cancel(r *rate.Reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	r.CancelAt(now) // a slot still ahead is free again from now on
	l.gridTime = now
}

// admit records a send now if the pause and the window guard allow it.
func (l *limiter) admit() (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Before(l.hold) || l.sends.guardWait(now, l.n, l.window()) > 0 {
		return time.Time{}, false
	}
	l.sends.record(now)
	return now, true
}

// setRate sets the allowed rate (> 0, at most the target) from the next
// slot on.
func (l *limiter) setRate(r float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rate = r
	l.moveGrid()
}

// setSlack widens the guard's window to 1s + d (d >= 0).
func (l *limiter) setSlack(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.slack = d
	l.moveGrid()
}

// pauseUntil lets no send go before t; the grid starts again from there.
func (l *limiter) pauseUntil(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hold = maxTime(l.hold, t)
}

// moveGrid gives the grid the spacing of the current rate and slack.
func (l *limiter) moveGrid() {
	if l.target <= 0 {
		return
	}
	l.gridTime = maxTime(l.gridTime, l.now())
	l.grid.SetLimitAt(l.gridTime, l.limit())
}

// limit is the grid's rate: the allowed rate, and at the target never more
// than n sends per 1s+slack.
func (l *limiter) limit() rate.Limit {
	if l.target <= 0 {
		return rate.Inf
	}
	return rate.Limit(l.rate * min(1, float64(l.n)/(l.target*(1+l.slack.Seconds()))))
}

// interval is the grid spacing now.
func (l *limiter) interval() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Duration(float64(time.Second) / float64(l.limit()))
}

// window is the guard's window.
func (l *limiter) window() time.Duration { return time.Second + l.slack }

// count returns how many of our sends lie in [from, to).
func (l *limiter) count(from, to time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sends.count(from, to)
}

// Sleep waits for d or until ctx ends, and returns ctx's error then: the
// sleep a Pacer uses unless WithSleep replaces it.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
