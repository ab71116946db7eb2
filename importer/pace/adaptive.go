package importer

import (
	"context"
	"sync"
	"time"
)

// adaptiveLimiter paces the sends of one action. It keeps the quota full
// when we are alone on it and yields when other clients share it, telling
// the two causes of a RequestLimitExceeded apart:
//
//   - Our own timing. The server stamps a request when it arrives, which is
//     our send time plus a variable delay (scheduling, encoding, signing,
//     the network). Sends paced at exactly n per second can then put n+1
//     arrivals into one of the server's one-second windows. A refusal while
//     our own sends of the server's last second (give or take ownTolerance)
//     already numbered n is put down to that: the limiter widens its window
//     by slackStep (n sends per 1s+slack) and does not slow down otherwise.
//     It also shifts its grid: the next send waits two intervals, four
//     after a second refusal of the same event, and so on (up to
//     maxShift), since arrivals bunched by a stall fill the server's window
//     until they leave it. The slack decays again while no refusal comes.
//   - Someone else's load (another client, or a quota lowered for a while).
//     A refusal while our own sends were below n, or refusals that keep
//     coming (burstLimit earlier ones within a second, the selfLimit-th
//     timing event within selfMemory, or one at maxSlack), cut the rate:
//     by cutFactor, or by the share of our last second's sends that were
//     refused if that is larger (never below maxCut), once per
//     cutCooldown. The rate then
//     climbs back once raiseEvery has passed without a refusal: in one
//     step to rebound times the rate of the last cut, where it holds for
//     holdPeriods, then by raiseShare of the target, doubling that step
//     each period, so the quota is full again within seconds once the
//     other load is gone.
//
// The hard rule holds whatever the rate: no window of 1s+slack (so no
// one-second window) holds more than n = int(target) of our sends, checked
// on the actual send times. Sends are handed out in arrival order (FIFO) on
// a fixed grid, so a goroutine that wakes late does not shift the later
// sends, and a cut applies from the next send on, with no reservations made
// in advance at the old rate.
type adaptiveLimiter struct {
	target float64 // configured rate; <= 0 means unlimited
	n      int     // sends allowed per window: int(target), at least 1
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	turn   chan struct{} // held by the caller whose send is next

	mu        sync.Mutex
	sends     *sendLog
	next      time.Time     // grid time of the next send
	current   float64       // allowed rate, <= target
	slack     time.Duration // the guard's window is 1s + slack
	peak      float64       // the rate at the last cut
	above     int           // probing steps since the rebound; < 0 while holding
	lastCut   time.Time
	lastRaise time.Time
	lastSlack time.Time   // last change of slack
	refused   []time.Time // send times of the refusals of the last refusalMemory
	ownHits   []time.Time // when timing events began (refusals put down to our own timing, a second each)
	shift     int         // grid intervals the next send waits after a refusal of this timing event
}

const (
	cutFactor     = 0.85                   // rate multiplier on other clients' load (make bench, figure 4)
	maxCut        = 0.5                    // the deepest single cut
	cutCooldown   = 500 * time.Millisecond // one cut per overshoot, however many refusals it brings
	minRate       = 0.5                    // never slower than this many requests per second (or the target, if lower)
	raiseEvery    = time.Second            // increase period
	raiseShare    = 0.0125                 // share of the target of the first probing step past the rebound
	rebound       = 0.95                   // share of the last cut's rate regained in the first period
	holdPeriods   = 2                      // periods at the rebound rate before probing
	maxDoublings  = 5                      // the probing step doubles at most this often
	minSlack      = 4 * time.Millisecond
	startSlack    = 10 * time.Millisecond // new connections arrive less evenly: the first seconds start wider
	slackStep     = 5 * time.Millisecond  // added per refusal put down to our timing
	maxSlack      = 50 * time.Millisecond // a refusal beyond this is not our timing any more
	slackDecay    = time.Millisecond      // taken off per slackEvery without refusal
	slackEvery    = 3 * time.Second
	ownTolerance  = 100 * time.Millisecond // how far arrival may stray from send time
	maxShift      = 8                      // the longest pause after a timing refusal, in grid intervals
	burstLimit    = 2                      // earlier refusals within a second that still allow a timing verdict
	selfLimit     = 5                      // timing events (a second each) within selfMemory before it counts as load
	selfMemory    = 10 * time.Second
	refusalMemory = 10 * time.Second
)

// refusal is the limiter's verdict on one RequestLimitExceeded.
type refusal int

const (
	refusalOurs   refusal = iota + 1 // our own timing slipped: widened, not slowed
	refusalShared                    // the quota is shared or lowered: slowed
)

func newAdaptiveLimiter(target float64, now func() time.Time) *adaptiveLimiter {
	n := max(int(target), 1)
	return &adaptiveLimiter{target: target, n: n, now: now, sleep: sleepCtx, turn: make(chan struct{}, 1),
		sends: newSendLog(sendLogSize(n)), current: target, peak: target, slack: startSlack}
}

// Wait blocks until a request may be sent, or ctx ends, and returns the
// send time it admitted (zero when unlimited). Callers are served in the
// order they called.
func (l *adaptiveLimiter) Wait(ctx context.Context) (time.Time, error) {
	if err := ctx.Err(); err != nil || l.target <= 0 {
		return time.Time{}, err
	}
	select {
	case l.turn <- struct{}{}:
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
	defer func() { <-l.turn }()
	for {
		at, wait := l.try()
		if wait <= 0 {
			return at, nil
		}
		if err := l.sleep(ctx, wait); err != nil {
			return time.Time{}, err
		}
	}
}

// try admits a send now, or says how long to wait for the grid and the
// window guard.
func (l *adaptiveLimiter) try() (time.Time, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	wait := max(l.next.Sub(now), l.sends.guardWait(now, l.n, time.Second+l.slack))
	if wait > 0 {
		return time.Time{}, wait
	}
	l.sends.record(now)
	iv := l.interval()
	if l.next.IsZero() || now.Sub(l.next) >= iv {
		l.next = now.Add(iv) // idle for a while: the grid starts again
	} else {
		l.next = l.next.Add(iv) // on the grid; a late wake-up does not shift it
	}
	return now, 0
}

// interval is the grid spacing: the current rate, and at the target never
// more than n sends per 1s+slack.
func (l *adaptiveLimiter) interval() time.Duration {
	r := l.current * min(1, float64(l.n)/(l.target*(1+l.slack.Seconds())))
	return time.Duration(float64(time.Second) / r)
}

// Throttled records a RequestLimitExceeded answer to the request sent at
// sentAt and returns what the limiter made of it.
func (l *adaptiveLimiter) Throttled(sentAt time.Time) refusal {
	if l.target <= 0 {
		return refusalShared
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	l.refused = since(l.refused, t.Add(-refusalMemory))
	l.ownHits = since(l.ownHits, t.Add(-selfMemory))
	burst := countIn(l.refused, sentAt.Add(-time.Second), sentAt.Add(1))
	l.refused = append(l.refused, sentAt)
	if l.ourTiming(sentAt, burst) {
		if n := len(l.ownHits); n == 0 || t.Sub(l.ownHits[n-1]) >= time.Second {
			// one stall of ours often delays two or three sends: one event
			l.ownHits = append(l.ownHits, t)
			l.slack, l.lastSlack = min(l.slack+slackStep, maxSlack), t
			l.shift = 1
		}
		l.shift = min(2*l.shift, maxShift)
		l.next = maxTime(l.next, t.Add(time.Duration(l.shift)*l.interval()))
		return refusalOurs
	}
	l.lastRaise = t // no raise in a second that brought a refusal
	l.cut(t)
	return refusalShared
}

// ourTiming tells a refusal caused by our own arrival jitter: we were at
// full rate, our own sends filled the server's window, and the refusal is
// isolated.
func (l *adaptiveLimiter) ourTiming(sentAt time.Time, burst int) bool {
	own := l.sends.count(sentAt.Add(-time.Second-ownTolerance), sentAt.Add(ownTolerance)) - 1
	events := len(l.ownHits)
	if events > 0 && l.now().Sub(l.ownHits[events-1]) < time.Second {
		events-- // this refusal belongs to the last event
	}
	return l.current >= l.target && own >= l.n && burst < burstLimit &&
		events < selfLimit-1 && l.slack < maxSlack
}

// cut slows down for other clients' load, once per cutCooldown.
func (l *adaptiveLimiter) cut(t time.Time) {
	if !l.lastCut.IsZero() && t.Sub(l.lastCut) < cutCooldown {
		return
	}
	factor := cutFactor
	if own := l.sends.count(t.Add(-time.Second), t.Add(1)); own > 0 {
		refused := countIn(l.refused, t.Add(-time.Second), t.Add(1))
		factor = min(factor, max(maxCut, 1-float64(refused)/float64(own)))
	}
	l.peak = l.current
	l.lastCut, l.lastRaise, l.above = t, t, 0
	l.current = max(l.current*factor, min(minRate, l.target)) // the floor never lifts a slower target
}

// Success records an accepted call: the rate climbs back once per
// raiseEvery, and at full rate the slack decays.
func (l *adaptiveLimiter) Success() {
	if l.target <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	if l.current >= l.target {
		if l.slack > minSlack && t.Sub(l.lastSlack) >= slackEvery {
			l.slack, l.lastSlack = max(l.slack-slackDecay, minSlack), t
		}
		return
	}
	if t.Sub(l.lastRaise) < raiseEvery {
		return
	}
	l.lastRaise = t
	step := l.target * raiseShare
	switch {
	case l.current < rebound*l.peak: // straight back to just under the rate that was refused
		l.current = max(rebound*l.peak, l.current+step)
		l.above = -holdPeriods
	case l.above < 0: // hold there a while: a shared quota is full near it
		l.above++
	default: // then probe, doubling the step each period without a refusal
		l.current += step * float64(int(1)<<min(l.above, maxDoublings))
		l.above++
	}
	l.current = min(l.current, l.target)
}

// Current is the rate now allowed.
func (l *adaptiveLimiter) Current() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current
}

// Slack is the current widening of the guard's window beyond one second.
func (l *adaptiveLimiter) Slack() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.slack
}

// since drops the times before from; ts is in insertion order.
func since(ts []time.Time, from time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(from) {
		i++
	}
	return append(ts[:0], ts[i:]...)
}

// countIn counts the times in [from, to).
func countIn(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range ts {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
