package importer

import (
	"context"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

var (
	apiErr   = ciamtest.Err
	classErr = ciamtest.ClassErr
)

var (
	inDoubt   = func() *ciam.Error { return apiErr(ciam.ActionCreateUser, ciam.CodeTimeout) }
	emailUsed = func() *ciam.Error { return apiErr(ciam.ActionCreateUser, "FailedOperation.EmailAlreadyExists") }
)

var (
	testUser   = fixture.User
	ciamUserOf = fixture.CIAMUserOf
	stranger   = fixture.Stranger
)

func ptr[T any](v T) *T { return &v }

// testJob is a row for u at a fixed position in the input.
func testJob(u *mapping.User) *sink.Row {
	j := sink.NewRow(source.Record{Line: 7, ID: "700", Next: "800:8", Pos: 800, Offset: 700, End: 800, EndLine: 8})
	j.User = u
	return j
}

// noSleep is a backoff sleep that returns at once (unless ctx has ended).
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// fastPacer is unlimited, retries up to attempts times and never sleeps.
func fastPacer(attempts int, opts ...PacerOption) *Pacer {
	return NewPacer(0, RetryPolicy{MaxAttempts: attempts, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		append([]PacerOption{WithSleep(noSleep)}, opts...)...)
}

// fakeClock is a manual clock for the adaptive limiter.
type fakeClock = fixture.Clock

var newFakeClock = fixture.NewClock

// useClock makes the pacer's limiters for actions run on c. The limiters are
// otherwise created on first use with the wall clock.
func useClock(c *fakeClock, p *Pacer, actions ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range actions {
		p.limiters[a] = newAdaptiveLimiter(p.rate, c.Now)
		p.limiters[a].sleep = c.Sleep // waiting for the quota advances c
	}
}

// checkNoLeftovers fails the test when the fake API still holds answers.
func checkNoLeftovers(t *testing.T, f *ciamtest.Fake) {
	t.Helper()
	f.CheckNoLeftovers(t)
}
