package emulator

import (
	"testing"
	"time"
)

// fakeClock is a manual clock for quota tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestSlidingWindow(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1700000000, 0)}
	w := newSlidingWindow(3, clock.now)
	steps := []struct {
		advance time.Duration
		want    bool
	}{
		{0, true}, {100 * time.Millisecond, true}, {100 * time.Millisecond, true}, // t=0, .1, .2
		{0, false},                      // 4th within the second
		{799 * time.Millisecond, false}, // t=.999: the window (−.001, .999] still holds 3
		{time.Millisecond, true},        // t=1.0: the admission at 0 left the window
		{0, false},                      // rejections consumed nothing, but .1 and .2 are still in
		{100 * time.Millisecond, true},  // t=1.1
		{2 * time.Second, true},         // idle: full quota again
		{0, true}, {0, true}, {0, false},
	}
	for i, s := range steps {
		clock.advance(s.advance)
		if got := w.admit(); got != s.want {
			t.Fatalf("step %d at %v: admit = %v, want %v", i, clock.t.Sub(time.Unix(1700000000, 0)), got, s.want)
		}
	}
	if got := MaxPerWindow(w.timestamps(), time.Second); got != 3 {
		t.Errorf("MaxPerWindow = %d, want 3", got)
	}
}

func TestSlidingWindowUnlimitedAndFractional(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	unlimited := newSlidingWindow(0, clock.now)
	for range 1000 {
		if !unlimited.admit() {
			t.Fatal("rate 0 rejected a request")
		}
	}
	half := newSlidingWindow(0.5, clock.now) // truncated to 1 per second
	if !half.admit() || half.admit() {
		t.Fatal("rate 0.5 should admit exactly 1 per window")
	}
}

func TestMaxPerWindow(t *testing.T) {
	base := time.Unix(0, 0)
	at := func(ms ...int) []time.Time {
		out := make([]time.Time, len(ms))
		for i, m := range ms {
			out[i] = base.Add(time.Duration(m) * time.Millisecond)
		}
		return out
	}
	tests := []struct {
		ts   []time.Time
		want int
	}{
		{nil, 0},
		{at(0), 1},
		{at(0, 999), 2},
		{at(0, 1000), 1}, // half-open: [0, 1000) excludes 1000
		{at(0, 500, 999, 1000, 1499), 4},
	}
	for _, tt := range tests {
		if got := MaxPerWindow(tt.ts, time.Second); got != tt.want {
			t.Errorf("MaxPerWindow(%v) = %d, want %d", tt.ts, got, tt.want)
		}
	}
}
