package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// errOpenInterrupted ends a command stopped by SIGINT/SIGTERM while it
// opened its input (exitInterrupted).
var errOpenInterrupted = errors.New("interrupted while opening the input (a database query is cancelled on the server too): " +
	"nothing was written; run the same command again")

// opening is the context an input is opened with: a first SIGINT or SIGTERM
// cancels it (a database source cancels its query on the server), a
// second exits at once. After done, signals no longer reach it (the run's
// own handler takes over) and the context stays valid: a database source
// keeps it for its whole read.
type opening struct {
	ctx    context.Context
	sigs   chan os.Signal
	quit   chan struct{}
	signal atomic.Bool
}

// watchOpen starts watching the signals for an input's opening.
func watchOpen(parent context.Context, stderr io.Writer, exit func(int)) *opening {
	ctx, cancel := context.WithCancel(parent)
	o := &opening{ctx: ctx, sigs: make(chan os.Signal, 2), quit: make(chan struct{})}
	signal.Notify(o.sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for {
			select {
			case s := <-o.sigs:
				if o.signal.Swap(true) {
					fmt.Fprintf(stderr, "\n%s: exiting now; nothing was written\n", s)
					exit(exitInterrupted)
					return
				}
				fmt.Fprintf(stderr, "\n%s: stopping: cancelling the input's query (signal again to exit at once)\n", s)
				cancel()
			case <-o.quit:
				return
			}
		}
	}()
	return o
}

// done stops watching; err is what the opening returned: errOpenInterrupted
// when a signal came, whatever the opening made of it.
func (o *opening) done(err error) error {
	signal.Stop(o.sigs)
	close(o.quit)
	if o.signal.Load() {
		return errOpenInterrupted
	}
	return err
}

// failOpen is fail with the exit code of an input that could not be opened.
func failOpen(stderr io.Writer, err error) int {
	if errors.Is(err, errOpenInterrupted) {
		return fail(stderr, exitInterrupted, err)
	}
	return fail(stderr, exitUsage, err)
}
