package pace

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestWindowGuardNeverExceedsQuota sends whenever the guard allows, at
// random fake times, and checks every half-open window.
func TestWindowGuardNeverExceedsQuota(t *testing.T) {
	for _, n := range []int{1, 5, 20} {
		for _, window := range []time.Duration{time.Second, time.Second + 30*time.Millisecond} {
			now := time.Unix(1_700_000_000, 0)
			log := newSendLog(sendLogSize(n))
			rnd := rand.New(rand.NewPCG(uint64(n), 1))
			var sent []time.Time
			for range 500 {
				now = now.Add(time.Duration(rnd.IntN(120)) * time.Millisecond) // bursts and gaps
				if w := log.guardWait(now, n, window); w > 0 {
					now = now.Add(w)
				}
				if w := log.guardWait(now, n, window); w != 0 {
					t.Fatalf("n=%d: still told to wait %v after waiting", n, w)
				}
				log.record(now)
				sent = append(sent, now)
			}
			if got, at := maxInWindow(sent, window); got > n {
				t.Fatalf("n=%d, window %v: %d sends in the window from %v", n, window, got, at)
			}
		}
	}
}

func TestSendLogCount(t *testing.T) {
	base := time.Unix(0, 0)
	ms := func(v int) time.Time { return base.Add(time.Duration(v) * time.Millisecond) }
	log := newSendLog(4)
	for _, v := range []int{0, 100, 200, 300, 400, 500} { // the ring keeps the last 4
		log.record(ms(v))
	}
	tests := []struct {
		from, to, want int
	}{
		{0, 1000, 4},
		{200, 400, 2}, // half-open: 400 is out
		{250, 251, 0},
		{500, 501, 1},
		{-100, 200, 0}, // forgotten
	}
	for _, tt := range tests {
		if got := log.count(ms(tt.from), ms(tt.to)); got != tt.want {
			t.Errorf("count [%d, %d) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	if at, ok := log.back(4); !ok || !at.Equal(ms(200)) {
		t.Errorf("back(4) = %v, %v", at, ok)
	}
	if _, ok := log.back(5); ok {
		t.Error("back(5) of a ring of 4 answered")
	}
}
