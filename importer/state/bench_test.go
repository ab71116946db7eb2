package state

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkJournalCommit measures group commit: each op is one Append plus
// a Commit of that entry, done by `workers` goroutines at once (the import's
// worker pool). It reports durable entries/s, fsyncs/s and entries per fsync.
// The journal lives in b.TempDir(); point TMPDIR at the disk that matters.
func BenchmarkJournalCommit(b *testing.B) {
	for _, workers := range []int{1, 8, 64, 256} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var sc syncCounter
			j, err := openJournal(filepath.Join(b.TempDir(), JournalFile), sc.sync)
			if err != nil {
				b.Fatal(err)
			}
			defer j.Close()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range workers {
				wg.Go(func() {
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						if err := j.Commit(context.Background(), j.Append(entry(int(i)))); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			secs := time.Since(start).Seconds()
			b.ReportMetric(float64(b.N)/secs, "entries/s")
			b.ReportMetric(float64(sc.n.Load())/secs, "fsyncs/s")
			b.ReportMetric(float64(b.N)/float64(max(sc.n.Load(), 1)), "entries/fsync")
		})
	}
}
