package sink

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// TestLookupNotAPIStreak: lookups answered by something that is not the
// API (a resume's in-flight rows against a wrong endpoint, a proxy's pages)
// count toward the streak and stop the run; API answers to lookups do not.
func TestLookupNotAPIStreak(t *testing.T) {
	page := &ciam.Error{Class: ciam.InDoubt, Code: ciam.CodeHTTPStatus, NotAPI: true, Endpoint: "http://wrong.example:8080",
		Action: ciam.ActionListUserByProperty}
	api := &ciam.Error{Class: ciam.Retryable, Code: "InternalError", Action: ciam.ActionDescribeUser}
	tests := []struct {
		name  string
		steps string // p: a lookup met a page; a: an API's retryable answer
		guard bool
		stop  int // the step that halts, 0: none
	}{
		{name: "five pages stop", steps: "ppppp", guard: true, stop: 5},
		{name: "four do not", steps: "pppp", guard: true},
		{name: "API answers are not counted", steps: "aaaaaaaa", guard: true},
		{name: "no guard, no stop", steps: "pppppppp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var halted error
			c := &Control{Pass: 1, Stopped: make(chan struct{}), Halt: func(err error) { halted = err }}
			var g *streak
			if tt.guard {
				g = &streak{}
			}
			for i, s := range tt.steps {
				err := map[rune]*ciam.Error{'p': page, 'a': api}[s]
				j := &Row{Rec: fixture.RecordAt(i+2, fixture.Row(i)), User: fixture.User(fmt.Sprint("k", i))}
				r := lookupResult(context.Background(), c, g, j, err)
				stopped := i+1 == tt.stop
				switch {
				case stopped && (halted == nil || r.Settled):
					t.Fatalf("step %d: halt %v, result %+v; want a halt and the row left for the next run", i+1, halted, r)
				case !stopped && (halted != nil || !r.Settled || r.Entry.Outcome != outcome.Retryable.Name):
					t.Fatalf("step %d: halt %v, result %+v; want a retryable row", i+1, halted, r)
				}
				if stopped {
					var se *StreakError
					if !errors.As(halted, &se) || !se.NotAPI || !strings.Contains(halted.Error(), "http://wrong.example:8080") {
						t.Errorf("halt %v: want a not-API *StreakError naming the endpoint", halted)
					}
					return
				}
			}
		})
	}
}
