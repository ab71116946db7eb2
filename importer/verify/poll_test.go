package verify

import (
	"testing"
	"time"
)

// TestPollAfter: ListJobs intervals start at firstPoll and double up to
// the --job-poll cap; a cap below firstPoll is used from the start.
func TestPollAfter(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		cap  time.Duration
		want []time.Duration
	}{
		{10 * time.Second, []time.Duration{200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 6400 * ms, 10 * time.Second, 10 * time.Second}},
		{time.Second, []time.Duration{200 * ms, 400 * ms, 800 * ms, time.Second, time.Second}},
		{5 * ms, []time.Duration{5 * ms, 5 * ms}},
	} {
		var got time.Duration
		for i, want := range tc.want {
			if got = pollAfter(got, tc.cap); got != want {
				t.Errorf("cap %s: interval %d is %s, want %s", tc.cap, i+1, got, want)
			}
		}
	}
}
