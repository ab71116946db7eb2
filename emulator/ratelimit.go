package emulator

import (
	"sync"
	"time"
)

// quotaWindow is the length of the quota's sliding window.
const quotaWindow = time.Second

// slidingWindow admits at most limit requests in any half-open interval of
// length window: a request at now is admitted iff the limit-th most recent
// admitted request is at least window older. Rejected requests consume
// nothing. It records every admitted timestamp for introspection.
type slidingWindow struct {
	mu       sync.Mutex
	limit    int // <= 0: unlimited
	window   time.Duration
	now      func() time.Time
	admitted []time.Time // every admission, in order
}

func newSlidingWindow(rate float64, now func() time.Time) *slidingWindow {
	limit := 0
	if rate > 0 {
		limit = max(1, int(rate))
	}
	return &slidingWindow{limit: limit, window: quotaWindow, now: now}
}

// admit reports whether a request arriving now is within quota. The clock
// is read under the lock so recorded timestamps are non-decreasing.
func (w *slidingWindow) admit() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if w.limit > 0 && len(w.admitted) >= w.limit {
		oldest := w.admitted[len(w.admitted)-w.limit]
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
