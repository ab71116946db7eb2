package sink

import (
	"errors"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// TestStreakNotAPI: answers that are not the API's count as one code
// whatever their status, stop after five even once requests worked, and
// the stop names the endpoint; other in-doubt answers are not counted.
func TestStreakNotAPI(t *testing.T) {
	page := func(code string) *ciam.Error {
		return &ciam.Error{Class: ciam.InDoubt, Code: code, NotAPI: true, Endpoint: "http://wrong.example:8080", Action: ciam.ActionCreateUser}
	}
	steps := map[rune]*ciam.Error{
		'5': page(ciam.CodeHTTPStatus), '2': page(ciam.CodeInvalidResponse),
		'd': {Class: ciam.InDoubt, Code: "InternalError", Action: ciam.ActionCreateUser},
	}
	tests := []struct {
		name  string
		steps string // o: a request worked; 5, 2: not-API answers; d: an API in-doubt
		stop  int
	}{
		{name: "five of any status", steps: "52525", stop: 5},
		{name: "four are not enough", steps: "5252"},
		{name: "after a success, five still stop", steps: "o55555", stop: 6},
		{name: "API in-doubt answers are not counted", steps: "dddddddd"},
		{name: "a success resets", steps: "5555o5555"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &streak{}
			for i, c := range tt.steps {
				var err error
				if c == 'o' {
					s.ok()
				} else {
					err = s.notAPI(steps[c])
				}
				if (err != nil) != (i+1 == tt.stop) {
					t.Fatalf("step %d (%c): %v, want a stop only at step %d", i+1, c, err, tt.stop)
				}
				var se *StreakError
				if err != nil && (!errors.As(err, &se) || !strings.Contains(err.Error(), "http://wrong.example:8080") ||
					!strings.Contains(err.Error(), "check --endpoint")) {
					t.Errorf("stop %v: want a *StreakError naming the endpoint", err)
				}
			}
		})
	}
}
