package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// forceGrace is how long the job may take, once the calls in flight were
// aborted, to journal them and write its checkpoint before the process exits
// anyway. Everything durable is written journal-first, so an exit at any
// point is the same as a kill -9: the next run looks the in-flight rows up.
const forceGrace = 15 * time.Second

// withSignals returns a context cancelled by the first SIGINT or SIGTERM
// (stop taking rows, finish the calls in flight) and a channel closed when
// the calls in flight must be aborted too: at a second signal, or when they
// have not finished stopTimeout after the first. The time from the first
// signal to the process's exit is bounded: forceGrace after the abort it
// exits with exitInterrupted, and a third signal exits at once. stop
// releases the handler.
func withSignals(parent context.Context, stderr io.Writer, stopTimeout time.Duration) (ctx context.Context, abort <-chan struct{}, stop func()) {
	return watchSignals(parent, stderr, stopTimeout, os.Exit)
}

// watchSignals is withSignals with the exit function given, for tests.
func watchSignals(parent context.Context, stderr io.Writer, stopTimeout time.Duration, exit func(int)) (context.Context, <-chan struct{}, func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 3)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ab := make(chan struct{})
	done := make(chan struct{})
	go func() {
		var deadline <-chan time.Time // the stop timeout, then the forced exit
		aborted := false
		abortNow := func(why string) {
			fmt.Fprintf(stderr, "\n%s: aborting the requests in flight; the next run reconciles them (exit in at most %s)\n", why, forceGrace)
			close(ab)
			aborted = true
			deadline = time.After(forceGrace)
		}
		for signals := 0; ; {
			select {
			case s := <-sigs:
				signals++
				switch {
				case signals == 1:
					fmt.Fprintf(stderr, "\n%s: stopping: finishing the requests in flight and saving progress (at most %s: --stop-timeout; signal again to abort them)\n", s, stopTimeout)
					cancel()
					deadline = time.After(stopTimeout)
				case !aborted:
					abortNow(s.String())
				default:
					fmt.Fprintf(stderr, "\n%s: exiting now; the journal holds every request sent, the next run looks them up\n", s)
					exit(exitInterrupted)
					return
				}
			case <-deadline:
				if !aborted {
					abortNow(fmt.Sprintf("--stop-timeout %s passed", stopTimeout))
					continue
				}
				fmt.Fprintf(stderr, "\nthe checkpoint was not written %s after the abort: exiting; the journal holds every request sent, the next run looks them up\n", forceGrace)
				exit(exitInterrupted)
				return
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
