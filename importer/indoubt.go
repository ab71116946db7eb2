package importer

import (
	"context"
	"time"

	"github.com/ciam-import/ciam-import/importer/checkpoint"
)

// waitInDoubt waits, before a resume looks up the rows the previous run
// left in flight, until opt.InDoubtGrace has passed since that run last
// wrote its journal: a CreateUser it sent just before it was killed can
// still be on its way to the service, and a lookup made before it lands
// finds nothing, so the row would be sent again and, if the export
// changed meanwhile, make a second user of its legacy key. Nothing to wait
// for when no row is in flight, or the previous run ended long ago. A
// cancelled ctx ends the wait (the pipeline then stops at once).
func waitInDoubt(ctx context.Context, opt Options, st *checkpoint.State) {
	if len(st.InFlight) == 0 || opt.InDoubtGrace <= 0 || st.LastWrite.IsZero() {
		return
	}
	wait := st.LastWrite.Add(opt.InDoubtGrace).Sub(opt.Now())
	if wait <= 0 {
		return
	}
	opt.Logger.Info("the last run stopped moments ago with rows in flight: waiting for requests it may still have on the way before looking them up",
		"rows", len(st.InFlight), "wait_seconds", wait.Round(time.Second).Seconds())
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
