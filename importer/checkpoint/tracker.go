package checkpoint

import (
	"sort"
	"sync"

	"github.com/ciam-import/ciam-import/importer/state"
)

// tracker holds the rows journaled "begin" and not settled yet, by slot
// (source id and legacy key). A checkpoint stores them, so a resume after
// a crash reconciles them before anything is sent for them.
type tracker struct {
	mu    sync.Mutex
	begun map[string]state.Position // by state.Position.Slot
}

func newTracker() *tracker { return &tracker{begun: map[string]state.Position{}} }

func (t *tracker) add(p state.Position) {
	t.mu.Lock()
	t.begun[p.Slot()] = p
	t.mu.Unlock()
}

// done drops the rows a settle or cancel entry ends; see settled.
func (t *tracker) done(e state.Entry) {
	t.mu.Lock()
	settled(t.begun, e)
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
	sort.Slice(out, func(a, b int) bool {
		if out[a].Line != out[b].Line {
			return out[a].Line < out[b].Line
		}
		return out[a].Slot() < out[b].Slot()
	})
	return out
}

// settled removes from begun (by slot) the rows that the settle or cancel
// entry e ends: its own slot and, when e.Was is set, the begin of the same
// key at that other id. An entry without a key (written by an older
// version, which named rows by id alone) ends every row begun at its id.
func settled(begun map[string]state.Position, e state.Entry) {
	if e.Key == "" {
		for slot, p := range begun {
			if p.ID == e.ID {
				delete(begun, slot)
			}
		}
		return
	}
	delete(begun, state.Slot(e.ID, e.Key))
	if e.Was != "" {
		delete(begun, state.Slot(e.Was, e.Key))
	}
}
