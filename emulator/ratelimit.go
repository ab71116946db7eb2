package emulator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// quotaWindow is the length of the quota's sliding window.
const quotaWindow = time.Second

// slidingWindow admits at most limit requests in any half-open interval of
// length window: a request at now is admitted iff the limit-th most recent
// admitted request is at least window older. Rejected requests consume
// nothing. It records every admitted timestamp for introspection. During a
// quota dip the limit is the dip's.
type slidingWindow struct {
	mu       sync.Mutex
	limit    int // <= 0: unlimited
	dipLimit int // the limit while the dip lasts
	dipFrom  time.Time
	dipTo    time.Time
	window   time.Duration
	now      func() time.Time
	admitted []time.Time // every admission, in order
}

// newSlidingWindow holds rate per window from now on, lowered by dip (if
// its Factor is set) for the dip's time, counted from now.
func newSlidingWindow(rate float64, now func() time.Time, dip ...QuotaDip) *slidingWindow {
	limit := 0
	if rate > 0 {
		limit = max(1, int(rate))
	}
	w := &slidingWindow{limit: limit, window: quotaWindow, now: now}
	if len(dip) > 0 && dip[0].active() && limit > 0 {
		w.dipLimit = max(1, int(rate*dip[0].Factor))
		w.dipFrom = now().Add(dip[0].After)
		w.dipTo = w.dipFrom.Add(dip[0].For)
	}
	return w
}

// limitAt is the limit in force at t.
func (w *slidingWindow) limitAt(t time.Time) int {
	if w.dipLimit > 0 && !t.Before(w.dipFrom) && t.Before(w.dipTo) {
		return w.dipLimit
	}
	return w.limit
}

// admit reports whether a request arriving now is within quota. The clock
// is read under the lock so recorded timestamps are non-decreasing.
func (w *slidingWindow) admit() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if limit := w.limitAt(now); limit > 0 && len(w.admitted) >= limit {
		oldest := w.admitted[len(w.admitted)-limit]
		if now.Sub(oldest) < w.window {
			return false
		}
	}
	w.admitted = append(w.admitted, now)
	return true
}

// timestamps returns a copy of every admitted timestamp, oldest first.
func (w *slidingWindow) timestamps() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Time(nil), w.admitted...)
}

// MaxPerWindow returns the largest number of timestamps that fall in one
// half-open interval [t, t+window). ts must be sorted, as Server.Admitted
// returns them. A quota of N per second holds iff
// MaxPerWindow(ts, time.Second) <= N.
func MaxPerWindow(ts []time.Time, window time.Duration) int {
	best, i := 0, 0
	for j := range ts {
		for ts[j].Sub(ts[i]) >= window {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

// QuotaDip is a fault for testing pacing: the quota of every action drops
// to Factor of Config.Rate (at least 1 request per window) from After
// since the server started, for For, then recovers. The zero value (or a
// Factor of 0 or 1) is no dip. Requests admitted before the dip still
// count in its first window, as they would at a real gateway.
type QuotaDip struct {
	After, For time.Duration
	Factor     float64 // in (0, 1]
}

func (d QuotaDip) active() bool { return d.Factor > 0 && d.Factor < 1 && d.For > 0 }

// Validate reports a dip that cannot be applied.
func (d QuotaDip) Validate() error {
	if d.Factor == 0 && d.For == 0 && d.After == 0 {
		return nil
	}
	if d.Factor <= 0 || d.Factor > 1 || d.Factor != d.Factor {
		return fmt.Errorf("quota dip factor %v outside (0, 1]", d.Factor)
	}
	if d.After < 0 || d.For <= 0 {
		return fmt.Errorf("quota dip needs after >= 0 and for > 0, got after=%s for=%s", d.After, d.For)
	}
	return nil
}

// String formats d as Set parses it ("" for no dip).
func (d *QuotaDip) String() string {
	if d == nil || *d == (QuotaDip{}) {
		return ""
	}
	return fmt.Sprintf("after=%s,for=%s,factor=%s", d.After, d.For, strconv.FormatFloat(d.Factor, 'f', -1, 64))
}

// Set parses "after=20s,for=30s,factor=0.5" (keys in any order; all three
// required), so a QuotaDip is a flag.Value.
func (d *QuotaDip) Set(s string) error {
	var out QuotaDip
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || seen[key] {
			return fmt.Errorf("parse quota dip %q: want after=DURATION,for=DURATION,factor=FRACTION", s)
		}
		seen[key] = true
		var err error
		switch key {
		case "after":
			out.After, err = time.ParseDuration(val)
		case "for":
			out.For, err = time.ParseDuration(val)
		case "factor":
			out.Factor, err = strconv.ParseFloat(val, 64)
		default:
			err = errors.New("unknown key " + key)
		}
		if err != nil {
			return fmt.Errorf("parse quota dip %q: %w", s, err)
		}
	}
	if len(seen) != 3 {
		return fmt.Errorf("parse quota dip %q: want after, for and factor", s)
	}
	if err := out.Validate(); err != nil {
		return fmt.Errorf("parse quota dip: %w", err)
	}
	*d = out
	return nil
}
