package timeline

import (
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkHotPath measures one request's events (sent, answered,
// settled) from parallel workers.
func BenchmarkHotPath(b *testing.B) {
	r, err := Open(filepath.Join(b.TempDir(), "tl.jsonl"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Sent("CreateUser")
			r.Answered("CreateUser", CodeOK, 40*time.Millisecond)
			r.Settled("created", 1)
		}
	})
}
