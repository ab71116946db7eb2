package importer

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestScratchJitter(t *testing.T) {
	l := newAdaptiveLimiter(20, time.Now)
	var mu sync.Mutex
	var ts []time.Time
	var wg sync.WaitGroup
	n := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if n >= 70 { mu.Unlock(); return }
				n++
				mu.Unlock()
				l.Wait(context.Background())
				mu.Lock()
				ts = append(ts, time.Now())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	best, bi := 0, 0
	i := 0
	for j := range ts {
		for ts[j].Sub(ts[i]) >= time.Second { i++ }
		if j-i+1 > best { best, bi = j-i+1, i }
	}
	t.Logf("max %d at %d", best, bi)
	for k := 1; k < len(ts); k++ { if d := ts[k].Sub(ts[k-1]); d < 45*time.Millisecond || d > 56*time.Millisecond { t.Logf("gap %d %v", k, d) } }
}
