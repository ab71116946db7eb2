package importer

import (
	"context"
	"errors"
	"io"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// mapBatchSize is how many records the reader hands a mapper at a time.
// Up to 2*GOMAXPROCS+2 batches are in flight: live heap the garbage
// collector marks at every cycle, with little room beside the duplicate
// table's filter under the binary's soft memory limit. 128 rows (about
// 400 KB) made validate over 10^7 rows 10-15 % faster than 512 did
// (BENCHMARKS.md, figure 13, sixth run).
var mapBatchSize = 128

// mapBatch is a run of consecutive records and, once done is closed, their
// mapping results.
type mapBatch struct {
	recs  []source.Record
	users []*mapping.User
	errs  []error
	done  chan struct{}
}

// mapInOrder reads src on one goroutine and maps its records on every core,
// then calls fn for each record in input order with its mapping result (a
// malformed record is not mapped). Memory stays bounded: a few batches are
// in flight at a time. fn's error or ctx's end stops everything.
func mapInOrder(ctx context.Context, src source.Reader, spec *mapping.Spec,
	fn func(rec source.Record, u *mapping.User, err error) error) error {
	n := runtime.GOMAXPROCS(0)
	g, ctx := errgroup.WithContext(ctx)
	work, order := make(chan *mapBatch, 2*n), make(chan *mapBatch, 2*n)
	g.Go(func() error { return readBatches(ctx, src, work, order) })
	for range n {
		g.Go(func() error {
			for b := range work {
				b.mapAll(spec)
			}
			return nil
		})
	}
	g.Go(func() error { return emitInOrder(ctx, order, fn) })
	return g.Wait()
}

func readBatches(ctx context.Context, src source.Reader, work, order chan<- *mapBatch) error {
	defer close(order)
	defer close(work)
	for {
		b := &mapBatch{recs: make([]source.Record, 0, mapBatchSize), done: make(chan struct{})}
		for len(b.recs) < mapBatchSize {
			rec, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			b.recs = append(b.recs, rec)
		}
		if len(b.recs) == 0 {
			return nil
		}
		for _, ch := range []chan<- *mapBatch{work, order} {
			select {
			case ch <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

func (b *mapBatch) mapAll(spec *mapping.Spec) {
	b.users, b.errs = make([]*mapping.User, len(b.recs)), make([]error, len(b.recs))
	for i, rec := range b.recs {
		if rec.Err == nil {
			b.users[i], b.errs[i] = spec.Map(rec.Fields)
		}
	}
	close(b.done)
}

func emitInOrder(ctx context.Context, order <-chan *mapBatch,
	fn func(rec source.Record, u *mapping.User, err error) error) error {
	for b := range order {
		select {
		case <-b.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		for i, rec := range b.recs {
			if err := fn(rec, b.users[i], b.errs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
