package checkpoint

import (
	"errors"
	"os"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// A state directory whose files disagree with its snapshot is refused as
// damaged, and the journal is left in place.
func TestResumeRefusesDamagedState(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, e *resumeEnv)
	}{
		{"journal deleted", func(t *testing.T, e *resumeEnv) { mustDo(t, os.Remove(e.dir.Journal())) }},
		{"journal_gen raised", func(t *testing.T, e *resumeEnv) {
			snap, err := state.ReadSnapshot(e.dir.Snapshot())
			mustDo(t, err)
			snap.JournalGen = 3
			mustDo(t, state.WriteSnapshot(e.dir.Snapshot(), snap))
		}},
		{"report shorter than recorded", func(t *testing.T, e *resumeEnv) {
			mustDo(t, os.Truncate(e.dir.Report(outcome.Created.File), 5))
		}},
		{"counts disagree with reports", func(t *testing.T, e *resumeEnv) {
			snap, err := state.ReadSnapshot(e.dir.Snapshot())
			mustDo(t, err)
			snap.Counts[outcome.Created.Name]++
			mustDo(t, state.WriteSnapshot(e.dir.Snapshot(), snap))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newResumeEnv(t, 2)
			st := e.open()
			s := e.run(st)
			e.begin(s, 0)
			e.settle(s, 0, outcome.Created)
			mustDo(t, s.Checkpoint())
			st.Close()
			tc.damage(t, e)
			gens, _ := e.dir.JournalGens()
			_, err := e.tryOpen()
			var de *state.DamagedError
			if !errors.As(err, &de) || !errors.Is(err, state.ErrDamaged) {
				t.Fatalf("resume: %v, want a *state.DamagedError", err)
			}
			if after, _ := e.dir.JournalGens(); len(after) != len(gens) {
				t.Errorf("journal generations %v became %v", gens, after)
			}
		})
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
