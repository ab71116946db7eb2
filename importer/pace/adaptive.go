package pace

import (
	"sync"
	"time"
)

// adaptive is the policy that moves one action's limiter. It keeps the
// quota full when we are alone on it and yields when other clients share
// it, telling the two causes of a rate-limit refusal apart:
//
//   - Our own timing. The server stamps a request when it arrives, which is
//     our send time plus a variable delay (scheduling, encoding, signing,
//     the network). Sends paced at exactly n per second can then put n+1
//     arrivals into one of the server's one-second windows. A refusal while
//     our own sends of the server's last second (give or take ownTolerance)
//     already numbered n is put down to that: the policy widens the
//     limiter's window by slackStep (n sends per 1s+slack) and does not
//     slow down otherwise. It also pauses the limiter: the next send waits
//     two intervals, four after a second refusal of the same event, and so
//     on (up to maxShift), since arrivals bunched by a stall fill the
//     server's window until they leave it. The slack decays again while no
//     refusal comes.
//   - Someone else's load (another client, or a quota lowered for a while).
//     A refusal while our own sends were below n, or refusals that keep
//     coming (burstLimit earlier ones within a second, the selfLimit-th
//     timing event within selfMemory, or one at maxSlack), cut the rate:
//     by cutFactor, or by the share of our last second's sends that were
//     refused if that is larger (never below maxCut), once per
//     cutCooldown. The rate then climbs back once raiseEvery has passed
//     without a refusal: in one step to rebound times the rate of the last
//     cut, where it holds for holdPeriods, then by raiseShare of the
//     target, doubling that step each period, so the quota is full again
//     within seconds once the other load is gone.
//
// It never sleeps and never sends: the limiter enforces what it sets, and
// its window guard holds whatever the policy does. It is safe for
// concurrent use.
type adaptive struct {
	lim *limiter

	mu        sync.Mutex
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

// refusal is the policy's verdict on one rate-limit refusal.
type refusal int

const (
	refusalOurs   refusal = iota + 1 // our own timing slipped: widened, not slowed
	refusalShared                    // the quota is shared or lowered: slowed
)

// newAdaptive returns the policy of lim, starting at its target with
// startSlack.
func newAdaptive(lim *limiter) *adaptive {
	a := &adaptive{lim: lim, current: lim.target, peak: lim.target, slack: startSlack}
	if lim.target > 0 {
		lim.setSlack(startSlack)
	}
	return a
}

// Throttled records a rate-limit refusal of the request sent at sentAt
// and returns what the policy made of it.
func (a *adaptive) Throttled(sentAt time.Time) refusal {
	if a.lim.target <= 0 {
		return refusalShared
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.lim.now()
	a.refused = since(a.refused, t.Add(-refusalMemory))
	a.ownHits = since(a.ownHits, t.Add(-selfMemory))
	burst := countIn(a.refused, sentAt.Add(-time.Second), sentAt.Add(1))
	a.refused = append(a.refused, sentAt)
	if a.ourTiming(t, sentAt, burst) {
		a.widen(t)
		return refusalOurs
	}
	a.lastRaise = t // no raise in a second that brought a refusal
	a.cut(t)
	return refusalShared
}

// ourTiming tells a refusal caused by our own arrival jitter: we were at
// full rate, our own sends filled the server's window, and the refusal is
// isolated.
func (a *adaptive) ourTiming(t, sentAt time.Time, burst int) bool {
	own := a.lim.count(sentAt.Add(-time.Second-ownTolerance), sentAt.Add(ownTolerance)) - 1
	events := len(a.ownHits)
	if events > 0 && t.Sub(a.ownHits[events-1]) < time.Second {
		events-- // this refusal belongs to the last event
	}
	return a.current >= a.lim.target && own >= a.lim.n && burst < burstLimit &&
		events < selfLimit-1 && a.slack < maxSlack
}

// widen answers a refusal of our own timing: a wider window once per
// event, and a pause that doubles with each refusal of the event.
func (a *adaptive) widen(t time.Time) {
	if n := len(a.ownHits); n == 0 || t.Sub(a.ownHits[n-1]) >= time.Second {
		// one stall of ours often delays two or three sends: one event
		a.ownHits = append(a.ownHits, t)
		a.setSlack(min(a.slack+slackStep, maxSlack), t)
		a.shift = 1
	}
	a.shift = min(2*a.shift, maxShift)
	a.lim.pauseUntil(t.Add(time.Duration(a.shift) * a.lim.interval()))
}

// cut slows down for other clients' load, once per cutCooldown.
func (a *adaptive) cut(t time.Time) {
	if !a.lastCut.IsZero() && t.Sub(a.lastCut) < cutCooldown {
		return
	}
	factor := cutFactor
	if own := a.lim.count(t.Add(-time.Second), t.Add(1)); own > 0 {
		refused := countIn(a.refused, t.Add(-time.Second), t.Add(1))
		factor = min(factor, max(maxCut, 1-float64(refused)/float64(own)))
	}
	a.peak = a.current
	a.lastCut, a.lastRaise, a.above = t, t, 0
	a.setRate(max(a.current*factor, min(minRate, a.lim.target))) // the floor never lifts a slower target
}

// Success records an accepted call: the rate climbs back once per
// raiseEvery, and at full rate the slack decays.
func (a *adaptive) Success() {
	if a.lim.target <= 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.lim.now()
	if a.current >= a.lim.target {
		if a.slack > minSlack && t.Sub(a.lastSlack) >= slackEvery {
			a.setSlack(max(a.slack-slackDecay, minSlack), t)
		}
		return
	}
	if t.Sub(a.lastRaise) < raiseEvery {
		return
	}
	a.lastRaise = t
	a.raise()
}

// raise is one period's climb back after a cut.
func (a *adaptive) raise() {
	target := a.lim.target
	step := target * raiseShare
	next := a.current
	switch {
	case next < rebound*a.peak: // straight back to just under the rate that was refused
		next = max(rebound*a.peak, next+step)
		a.above = -holdPeriods
	case a.above < 0: // hold there a while: a shared quota is full near it
		a.above++
	default: // then probe, doubling the step each period without a refusal
		next += step * float64(int(1)<<min(a.above, maxDoublings))
		a.above++
	}
	a.setRate(min(next, target))
}

// setRate moves the allowed rate and the limiter with it.
func (a *adaptive) setRate(r float64) {
	a.current = r
	a.lim.setRate(r)
}

// setSlack moves the guard's slack and the limiter with it.
func (a *adaptive) setSlack(d time.Duration, t time.Time) {
	a.slack, a.lastSlack = d, t
	a.lim.setSlack(d)
}

// Current is the rate now allowed.
func (a *adaptive) Current() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.current
}

// Slack is the current widening of the guard's window beyond one second.
func (a *adaptive) Slack() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.slack
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
