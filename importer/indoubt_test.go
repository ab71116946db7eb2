package importer

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/state"
)

// A resume right after a run that left rows in flight waits until the
// grace has passed since that run's last journal write; no rows in flight,
// or a run that ended long ago, wait nothing; a cancelled context ends it.
func TestWaitInDoubt(t *testing.T) {
	const grace = 400 * time.Millisecond
	inflight := map[string]state.Position{"100": {Line: 2, ID: "100", Key: "K2"}}
	opt := Options{InDoubtGrace: grace, Now: time.Now, Logger: slog.New(slog.DiscardHandler)}
	took := func(ctx context.Context, st *checkpoint.State) time.Duration {
		start := time.Now()
		waitInDoubt(ctx, opt, st)
		return time.Since(start)
	}
	if d := took(context.Background(), &checkpoint.State{InFlight: inflight, LastWrite: time.Now()}); d < grace*3/4 || d > 5*grace {
		t.Errorf("waited %s after a run that just stopped, want about %s", d, grace)
	}
	if d := took(context.Background(), &checkpoint.State{InFlight: inflight, LastWrite: time.Now().Add(-time.Hour)}); d > grace/2 {
		t.Errorf("waited %s after a run that stopped an hour ago", d)
	}
	if d := took(context.Background(), &checkpoint.State{LastWrite: time.Now()}); d > grace/2 {
		t.Errorf("waited %s with no row in flight", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if d := took(ctx, &checkpoint.State{InFlight: inflight, LastWrite: time.Now()}); d > grace/2 {
		t.Errorf("waited %s with the context cancelled", d)
	}
}
