package pace

import (
	"time"
)

// sendLog holds the times of our most recent sends of one action, oldest
// first, in a ring. It serves two purposes: the window guard (the hard rule
// that no window of our sends carries more than n) and the diagnosis of a
// refusal (how many of our own sends the server's last second held). It is
// not safe for concurrent use; the limiter guards it with its mutex.
type sendLog struct {
	ring []time.Time // ring[next] is the oldest once the ring is full
	next int
	size int
}

// sendLogSize is how many sends the log remembers: enough to count a full
// second and a half of sends at a quota of a few hundred per second.
func sendLogSize(n int) int { return max(4*n, 64) }

func newSendLog(capacity int) *sendLog { return &sendLog{ring: make([]time.Time, max(capacity, 1))} }

// record appends a send time; times must not decrease.
func (s *sendLog) record(t time.Time) {
	s.ring[s.next] = t
	s.next = (s.next + 1) % len(s.ring)
	s.size = min(s.size+1, len(s.ring))
}

// back returns the k-th most recent send (k = 1 is the latest) and whether
// the log holds that many.
func (s *sendLog) back(k int) (time.Time, bool) {
	if k < 1 || k > s.size {
		return time.Time{}, false
	}
	return s.ring[(s.next-k+len(s.ring))%len(s.ring)], true
}

// count returns how many recorded sends lie in the half-open [from, to).
func (s *sendLog) count(from, to time.Time) int {
	n := 0
	for k := 1; k <= s.size; k++ {
		t, _ := s.back(k)
		if t.Before(from) {
			break // older ones are older still
		}
		if t.Before(to) {
			n++
		}
	}
	return n
}

// guardWait is the window guard: it returns how long a send at now must
// wait so that no half-open window of length window holds more than n of
// our sends (0: it may go now). With window >= 1s this is the hard
// guarantee that no one-second window of our sends exceeds the quota,
// whatever the scheduling of the goroutines that send.
func (s *sendLog) guardWait(now time.Time, n int, window time.Duration) time.Duration {
	oldest, ok := s.back(n)
	if !ok {
		return 0
	}
	if age := now.Sub(oldest); age < window {
		return window - age
	}
	return 0
}
