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

func TestSlidingWindowQuotaDip(t *testing.T) {
	start := time.Unix(1700000000, 0)
	clock := &fakeClock{t: start}
	w := newSlidingWindow(4, clock.now, QuotaDip{After: 2 * time.Second, For: 3 * time.Second, Factor: 0.5})
	admittedIn := func(from time.Duration) int { // offer 10 requests spread over the second from start+from
		clock.t = start.Add(from)
		n := 0
		for range 10 {
			if w.admit() {
				n++
			}
			clock.advance(100 * time.Millisecond)
		}
		return n
	}
	for _, s := range []struct {
		from time.Duration
		want int
	}{
		{0, 4}, {time.Second, 4}, // before the dip: the full quota
		{2 * time.Second, 2}, {3 * time.Second, 2}, {4 * time.Second, 2}, // the dip: half
		{5 * time.Second, 4}, {6 * time.Second, 4}, // recovered
	} {
		if got := admittedIn(s.from); got != s.want {
			t.Errorf("second from +%v: admitted %d, want %d", s.from, got, s.want)
		}
	}
	if got := MaxPerWindow(w.timestamps(), time.Second); got != 4 {
		t.Errorf("MaxPerWindow = %d, want 4", got)
	}
	small := newSlidingWindow(1, clock.now, QuotaDip{For: time.Second, Factor: 0.1}) // never below 1
	if !small.admit() {
		t.Error("a dip below one request per window refused everything")
	}
}

func TestQuotaDipSet(t *testing.T) {
	tests := []struct {
		in      string
		want    QuotaDip
		wantErr bool
	}{
		{"after=20s,for=30s,factor=0.5", QuotaDip{20 * time.Second, 30 * time.Second, 0.5}, false},
		{" factor=0.25, after=0s ,for=1m", QuotaDip{0, time.Minute, 0.25}, false},
		{"after=20s,for=30s", QuotaDip{}, true},
		{"after=20s,for=30s,factor=0.5,factor=0.4", QuotaDip{}, true},
		{"after=20s,for=30s,factor=1.5", QuotaDip{}, true},
		{"after=20s,for=0s,factor=0.5", QuotaDip{}, true},
		{"after=-1s,for=3s,factor=0.5", QuotaDip{}, true},
		{"after=soon,for=3s,factor=0.5", QuotaDip{}, true},
		{"after=1s,for=3s,factor=0.5,until=9s", QuotaDip{}, true},
		{"", QuotaDip{}, true},
	}
	for _, tt := range tests {
		var d QuotaDip
		err := d.Set(tt.in)
		if (err != nil) != tt.wantErr || d != tt.want {
			t.Errorf("Set(%q) = %+v, %v; want %+v, error %v", tt.in, d, err, tt.want, tt.wantErr)
		}
		if err == nil {
			var again QuotaDip
			if err := again.Set(d.String()); err != nil || again != d {
				t.Errorf("Set(String()) of %+v = %+v, %v", d, again, err)
			}
		}
	}
	if err := (Config{SecretID: "a", SecretKey: "b", UserStores: []string{"s"}, QuotaDip: QuotaDip{Factor: 2, For: time.Second}}).Validate(); err == nil {
		t.Error("Validate accepted a dip factor of 2")
	}
}
