package checkpoint

import (
	"sort"
	"sync"

	"github.com/ciam-import/ciam-import/importer/state"
)

// tracker holds the rows journaled "begin" and not settled yet. A
// checkpoint stores them, so a resume after a crash reconciles them before
// anything is sent for them.
type tracker struct {
	mu    sync.Mutex
	begun map[string]state.Position // by source row id
}

func newTracker() *tracker { return &tracker{begun: map[string]state.Position{}} }

func (t *tracker) add(p state.Position) {
	t.mu.Lock()
	t.begun[p.ID] = p
	t.mu.Unlock()
}

func (t *tracker) done(id string) {
	t.mu.Lock()
	delete(t.begun, id)
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
	sort.Slice(out, func(a, b int) bool { return out[a].Line < out[b].Line })
	return out
}
