package checkpoint

import (
	"maps"
	"slices"
	"testing"

	"github.com/ciam-import/ciam-import/importer/state"
)

// A settle or cancel ends the begin of its own id and key only: another
// row begun at the same id (a re-export moved it there) stays in doubt. Was
// also ends the begin of the same key at the id the row moved from; an
// entry without a key (an older journal) ends every begin at its id.
func TestSettledEndsBeginsBySlot(t *testing.T) {
	a, b := state.Position{ID: "10", Key: "A", Line: 2}, state.Position{ID: "10", Key: "B", Line: 2}
	moved := state.Position{ID: "30", Key: "A", Line: 4}
	for _, tc := range []struct {
		name string
		e    state.Entry
		want []string // slots left
	}{
		{"own key", state.Entry{ID: "10", Key: "B"}, []string{a.Slot(), moved.Slot()}},
		{"another key at that id", state.Entry{ID: "10", Key: "C"}, []string{a.Slot(), b.Slot(), moved.Slot()}},
		{"moved row", state.Entry{ID: "30", Key: "A", Was: "10"}, []string{b.Slot()}},
		{"no key", state.Entry{ID: "10"}, []string{moved.Slot()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			begun := map[string]state.Position{a.Slot(): a, b.Slot(): b, moved.Slot(): moved}
			settled(begun, tc.e)
			got := slices.Sorted(maps.Keys(begun))
			if want := slices.Sorted(slices.Values(tc.want)); !slices.Equal(got, want) {
				t.Errorf("left %q, want %q", got, want)
			}
		})
	}
}

// A checkpoint taken while rows are in flight keeps each row's identity
// (key and digest), and a resume reads it back: the next run compares the
// row it reads again with it.
func TestCheckpointKeepsInFlightIdentity(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	s := e.run(st)
	e.begin(s, 1)
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if got := e.snapshot().InFlight; len(got) != 1 || got[0] != e.pos(1) || got[0].Key == "" || got[0].Digest == "" {
		t.Errorf("snapshot in flight %+v, want %+v with its key and digest", got, e.pos(1))
	}
	st2 := e.open()
	defer st2.Close()
	if p, ok := st2.InFlight[e.pos(1).Slot()]; !ok || p != e.pos(1) {
		t.Errorf("resumed in flight %+v, want %+v", st2.InFlight, e.pos(1))
	}
}
