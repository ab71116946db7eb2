package pace

import (
	"context"
	"slices"
	"sync"
)

// line serves its callers one at a time, in the order they entered: the
// first-come, first-served queue in front of an action's limiter. The zero
// value is an empty line. It is safe for concurrent use.
type line struct {
	mu      sync.Mutex
	busy    bool            // someone is at the head
	waiting []chan struct{} // behind the head, oldest first; closed when its turn comes
}

// enter returns nil once the caller is at the head of the line; the caller
// must then call leave exactly once. If ctx ends first, enter returns ctx's
// error, the caller is out of the line and must not call leave.
func (q *line) enter(ctx context.Context) error {
	q.mu.Lock()
	if !q.busy {
		q.busy = true
		q.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	q.waiting = append(q.waiting, turn)
	q.mu.Unlock()
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		q.drop(turn)
		return ctx.Err()
	}
}

// drop takes a caller whose context ended out of the line, passing the
// turn on if it was handed over meanwhile.
func (q *line) drop(turn chan struct{}) {
	q.mu.Lock()
	i := slices.Index(q.waiting, turn)
	if i >= 0 {
		q.waiting = slices.Delete(q.waiting, i, i+1)
	}
	q.mu.Unlock()
	if i < 0 { // leave closed turn before we took it out: we hold the head
		q.leave()
	}
}

// leave hands the head of the line to the next caller, if any.
func (q *line) leave() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) == 0 {
		q.busy = false
		return
	}
	next := q.waiting[0]
	q.waiting = slices.Delete(q.waiting, 0, 1)
	close(next)
}

// queued is how many callers wait behind the head.
func (q *line) queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting)
}
