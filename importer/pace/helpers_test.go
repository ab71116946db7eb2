package pace

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Actions of a fictitious service: the package knows none of its own.
const (
	create   = "CreateUser"
	describe = "DescribeUser"
	list     = "ListUserByProperty"
)

// testErr is a failed call's error with the verdict classify reads from it.
type testErr struct {
	name string
	v    Verdict
}

func (e *testErr) Error() string { return fmt.Sprintf("%s (%+v)", e.name, e.v) }

// classify is the tests' Classify: the verdict a *testErr carries; other
// errors are permanent.
func classify(err error) Verdict {
	var te *testErr
	if errors.As(err, &te) {
		return te.v
	}
	return Verdict{}
}

var (
	internalErr  = func() *testErr { return &testErr{"InternalError", Verdict{Retryable: true}} }
	refusedErr   = func() *testErr { return &testErr{"RequestLimitExceeded", Verdict{Retryable: true, RateLimited: true}} }
	unreachable  = func() *testErr { return &testErr{"connection refused", Verdict{Retryable: true, Unreachable: true}} }
	permanentErr = func(name string) *testErr { return &testErr{name, Verdict{}} }
)

// noSleep is a backoff sleep that returns at once (unless ctx has ended).
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// fakeClock is a manual clock for the limiters.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sleep advances the fake clock by d: the limiter's waits cost no real time.
func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.Advance(d)
	return ctx.Err()
}

// maxInWindow returns the largest number of sorted times in any half-open
// window [t, t+w), and where it starts.
func maxInWindow(ts []time.Time, w time.Duration) (int, time.Time) {
	best, at, i := 0, time.Time{}, 0
	for j := range ts {
		for !ts[j].Before(ts[i].Add(w)) {
			i++
		}
		if n := j - i + 1; n > best {
			best, at = n, ts[i]
		}
	}
	return best, at
}
