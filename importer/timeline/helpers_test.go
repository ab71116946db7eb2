package timeline

import (
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 2, 18, 0, 0, 250e6, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openTest opens a recorder on a fresh file with a fake clock and no
// background flush.
func openTest(t *testing.T) (*Recorder, *clock, string) {
	t.Helper()
	c := newClock()
	path := PathFor(t.TempDir(), c.Now())
	r, err := Open(path, Options{Now: c.Now, FlushEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r, c, path
}

func readAll(t *testing.T, path string) []Bucket {
	t.Helper()
	bs, err := ReadFile(path, 0)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	return bs
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
