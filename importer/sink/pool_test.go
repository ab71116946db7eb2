package sink

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source"
)

// After a stop, the pool abandons a tail of the rows it takes, never a row
// before one it still sends: the settler ends at the first abandoned row,
// so a later row sent would stay begun and unsettled although the stop was
// graceful.
func TestPoolAbandonsOnlyATail(t *testing.T) {
	const rows, workers = 400, 8
	for round := range 200 {
		stop := make(chan struct{})
		c := &Control{Stopped: stop}
		in := make(chan *Row)
		var mu sync.Mutex
		var sent []int64
		jobs := make([]*Row, rows)
		go func() {
			defer close(in)
			for i := range jobs {
				jobs[i] = NewRow(source.Record{Line: int64(i)})
				if i == 40+round%50 {
					close(stop)
				}
				in <- jobs[i]
			}
		}()
		c.pool(context.Background(), workers, in, func(_ context.Context, j *Row) Result {
			runtime.Gosched()
			mu.Lock()
			sent = append(sent, j.Rec.Line)
			mu.Unlock()
			return Settle(j.Entry(outcome.Created, 0))
		})
		firstAbandoned := int64(-1)
		for i, j := range jobs {
			if r := j.Wait(); !r.Settled && firstAbandoned < 0 {
				firstAbandoned = int64(i)
			}
		}
		if firstAbandoned < 0 {
			t.Fatalf("round %d: nothing Abandoned after the stop", round)
		}
		if slices.ContainsFunc(sent, func(l int64) bool { return l > firstAbandoned }) {
			slices.Sort(sent)
			t.Fatalf("round %d: row %d Abandoned, yet later rows were sent: %v", round, firstAbandoned, sent[len(sent)-min(len(sent), 10):])
		}
	}
}
