package importer

import (
	"context"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/pace"
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
func fastPacer(attempts int, opts ...pace.Option) *pace.Pacer {
	return ciam.NewPacer(0, pace.RetryPolicy{MaxAttempts: attempts, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		append([]pace.Option{pace.WithSleep(noSleep)}, opts...)...)
}

// checkNoLeftovers fails the test when the fake API still holds answers.
func checkNoLeftovers(t *testing.T, f *ciamtest.Fake) {
	t.Helper()
	f.CheckNoLeftovers(t)
}
