package canary

import "sync"

// Quota counts the rows a canary run sent on each path. Take is safe for
// concurrent use; the pipeline calls it from its reader, in input order.
type Quota struct {
	mu   sync.Mutex
	n    int64
	sent map[Path]int64
}

// NewQuota allows n rows on each path; nil when n <= 0 (no canary).
func NewQuota(n int64) *Quota {
	if n <= 0 {
		return nil
	}
	return &Quota{n: n, sent: map[Path]int64{}}
}

// Take counts one row on path p, or reports false (counting nothing) once
// p already had its n rows: intake then ends before that row.
func (q *Quota) Take(p Path) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.sent[p] >= q.n {
		return false
	}
	q.sent[p]++
	return true
}
