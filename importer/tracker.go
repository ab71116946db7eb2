package importer

import (
	"sort"
	"sync"

	"github.com/ciam-import/ciam-import/importer/state"
)

// tracker holds the rows whose CreateUser was journaled "begin" and that are
// not settled yet. A checkpoint stores them, so a resume after a crash
// reconciles them before anything is sent for them.
type tracker struct {
	mu    sync.Mutex
	begun map[int64]state.Position // by input offset
}

func newTracker() *tracker { return &tracker{begun: map[int64]state.Position{}} }

func (t *tracker) add(p state.Position) {
	t.mu.Lock()
	t.begun[p.Offset] = p
	t.mu.Unlock()
}

func (t *tracker) done(offset int64) {
	t.mu.Lock()
	delete(t.begun, offset)
	t.mu.Unlock()
}

// list returns the begun rows in input order.
func (t *tracker) list() []state.Position {
	t.mu.Lock()
	out := make([]state.Position, 0, len(t.begun))
	for _, p := range t.begun {
		out = append(out, p)
	}
	t.mu.Unlock()
	sort.Slice(out, func(a, b int) bool { return out[a].Offset < out[b].Offset })
	return out
}
