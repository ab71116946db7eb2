package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// withStopSignals returns a context cancelled by the first SIGINT or
// SIGTERM. Signals after the first are back to their default action, so a
// second one kills a stop that hangs.
func withStopSignals(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		cancel() // NotifyContext's cancel also restores default handling
	}()
	return ctx, cancel
}
