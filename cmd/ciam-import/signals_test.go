package main

import (
	"bytes"
	"context"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the signal goroutine to write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// The first signal stops taking rows, the second aborts the calls in
// flight, the third exits at once with exitInterrupted.
func TestSignalsEscalate(t *testing.T) {
	exited := make(chan int, 1)
	var out syncBuffer
	ctx, abort, stop := watchSignals(context.Background(), &out, time.Hour, func(code int) { exited <- code })
	defer stop()
	step := func(what string, done <-chan struct{}) {
		t.Helper()
		if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s after a signal", what)
		}
	}
	step("cancel", ctx.Done())
	select {
	case <-abort:
		t.Fatal("the first signal aborted the calls in flight")
	default:
	}
	step("abort", abort)
	exitDone := make(chan struct{})
	go func() {
		if code := <-exited; code != exitInterrupted {
			t.Errorf("exit %d, want %d", code, exitInterrupted)
		}
		close(exitDone)
	}()
	step("exit", exitDone)
}

// Without a second signal, the calls in flight are aborted once the stop
// timeout has passed.
func TestStopTimeoutAborts(t *testing.T) {
	var out syncBuffer
	ctx, abort, stop := watchSignals(context.Background(), &out, 50*time.Millisecond, func(int) { t.Error("exited") })
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		done <-chan struct{}
	}{{"cancel", ctx.Done()}, {"abort", abort}} {
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s within 10s of a signal and a 50ms stop timeout", c.what)
		}
	}
}
