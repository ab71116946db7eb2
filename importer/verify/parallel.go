package verify

import (
	"context"
	"errors"
	"io"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// batchSize is how many items a worker takes at a time when the work is
// CPU only.
const batchSize = 512

// batch is a run of consecutive items and, once done is closed, their
// results.
type batch[T, R any] struct {
	in   []T
	out  []R
	done chan struct{}
}

// inOrder reads items with next (io.EOF after the last) on one goroutine,
// runs work on n workers, size items at a time, and calls emit for each item in read order with
// its result. A few batches are in flight at a time, so memory stays
// bounded. An error of next or emit, or ctx's end, stops everything.
func inOrder[T, R any](ctx context.Context, n, size int, next func() (T, error), work func(T) R, emit func(T, R) error) error {
	g, ctx := errgroup.WithContext(ctx)
	todo, order := make(chan *batch[T, R], 2*n), make(chan *batch[T, R], 2*n)
	g.Go(func() error { return readInto(ctx, size, next, todo, order) })
	for range n {
		g.Go(func() error {
			for b := range todo {
				b.out = make([]R, len(b.in))
				for i, it := range b.in {
					b.out[i] = work(it)
				}
				close(b.done)
			}
			return nil
		})
	}
	g.Go(func() error {
		for b := range order {
			select {
			case <-b.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			for i, it := range b.in {
				if err := emit(it, b.out[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return g.Wait()
}

func readInto[T, R any](ctx context.Context, size int, next func() (T, error), todo, order chan<- *batch[T, R]) error {
	defer close(order)
	defer close(todo)
	for {
		b := &batch[T, R]{done: make(chan struct{})}
		for len(b.in) < size {
			it, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			b.in = append(b.in, it)
		}
		if len(b.in) == 0 {
			return nil
		}
		for _, ch := range []chan<- *batch[T, R]{todo, order} {
			select {
			case ch <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if len(b.in) < size {
			return nil
		}
	}
}

// cores is the number of workers of CPU-only work.
func cores() int { return runtime.GOMAXPROCS(0) }
