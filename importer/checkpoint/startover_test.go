package checkpoint

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestUntouchedStateStartsOver: a state directory whose job settled no row
// and left none in flight (a run refused on a wrong user store id) is
// started over for a changed job instead of refused; one with any work is
// still the *MismatchError.
func TestUntouchedStateStartsOver(t *testing.T) {
	tests := []struct {
		name    string
		work    func(e *resumeEnv, s *Settler)
		refused bool
	}{
		{name: "nothing begun", work: func(*resumeEnv, *Settler) {}},
		{name: "begun, then cancelled", work: func(e *resumeEnv, s *Settler) {
			e.begin(s, 0)
			if err := s.Cancel(context.Background(), e.pos(0)); err != nil {
				e.t.Fatal(err)
			}
		}},
		{name: "begun, never settled", refused: true, work: func(e *resumeEnv, s *Settler) { e.begin(s, 0) }},
		{name: "in flight in the snapshot, cancel torn off", refused: true, work: func(e *resumeEnv, s *Settler) {
			e.begin(s, 0)
			if err := s.Checkpoint(); err != nil {
				e.t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newResumeEnv(t, 3)
			st := e.open()
			tt.work(e, e.run(st))
			st.Close()

			opt := e.opt
			opt.Store = "store-2"
			st2, err := Open(e.dir, opt.config())
			var me *MismatchError
			if tt.refused {
				if !errors.As(err, &me) {
					t.Fatalf("open: %v, want a *MismatchError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("open: %v, want a fresh start", err)
			}
			defer st2.Close()
			if st2.Resumed || !slices.ContainsFunc(st2.StartedOver, func(d string) bool { return strings.Contains(d, "user store changed") }) {
				t.Errorf("resumed %v, started over %q; want a fresh state saying the store changed", st2.Resumed, st2.StartedOver)
			}
			if fp := e.snapshot().Fingerprint; fp.UserStoreID != "store-2" {
				t.Errorf("snapshot made for store %q, want store-2", fp.UserStoreID)
			}
		})
	}
}
