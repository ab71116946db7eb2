package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// withSignals returns a context cancelled by the first SIGINT or SIGTERM
// (stop taking rows, finish the calls in flight) and a channel closed by the
// second (abort the calls in flight too). stop releases the handler.
func withSignals(parent context.Context, stderr io.Writer) (ctx context.Context, abort <-chan struct{}, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ab := make(chan struct{})
	done := make(chan struct{})
	go func() {
		for n := 0; n < 2; n++ {
			select {
			case s := <-sigs:
				if n == 0 {
					fmt.Fprintf(stderr, "\n%s: stopping: finishing the requests in flight and saving progress (signal again to abort them)\n", s)
					cancel()
				} else {
					fmt.Fprintf(stderr, "\n%s: aborting the requests in flight; the next run reconciles them\n", s)
					close(ab)
				}
			case <-done:
				return
			}
		}
	}()
	return ctx, ab, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
