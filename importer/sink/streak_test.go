package sink

import (
	"errors"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
)

func TestStreak(t *testing.T) {
	rejected := ciamtest.Err(ciam.ActionCreateUser, "FailedOperation.UserGroupNotFound")
	dataRejected := ciamtest.Err(ciam.ActionCreateUser, "InvalidParameterValue") // a weak password, say
	retryable := ciamtest.Err(ciam.ActionCreateUser, "InternalError")
	tests := []struct {
		name  string
		steps string // o: a request worked, r: rejected, i: retryable
		stop  int    // the step (1-based) whose fail returns the stop, 0 for none
	}{
		{name: "five of one code before any success", steps: "rrrrr", stop: 5},
		{name: "four are not enough", steps: "rrrr"},
		{name: "another code starts a new streak", steps: "rrrrirrrr"},
		{name: "a rejection of the row's data: five are not enough before a success", steps: "ddddd"},
		{name: "a rejection of the row's data: twenty stop before a success", steps: strings.Repeat("d", 20), stop: 20},
		{name: "retryable codes count too", steps: "iiiii", stop: 5},
		{name: "a success resets the streak", steps: "rrrrorrrr"},
		{name: "after a success, 49 are not enough", steps: "o" + strings.Repeat("r", 49)},
		{name: "after a success, 50 stop", steps: "o" + strings.Repeat("r", 50), stop: 51},
		{name: "a success long ago still raises the bar", steps: "rrrro" + strings.Repeat("i", 3) + strings.Repeat("r", 50), stop: 58},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &streak{}
			for i, c := range tt.steps {
				var err error
				switch c {
				case 'o':
					s.ok()
				case 'r':
					err = s.fail(rejected)
				case 'd':
					err = s.fail(dataRejected)
				case 'i':
					err = s.fail(retryable)
				}
				if (err != nil) != (i+1 == tt.stop) {
					t.Fatalf("step %d (%c): %v, want a stop only at step %d", i+1, c, err, tt.stop)
				}
				var se *StreakError
				if err != nil && (!errors.As(err, &se) || se.Rows < streakBeforeSuccess || !errors.Is(err, se.Last) ||
					!strings.Contains(err.Error(), se.Code)) {
					t.Errorf("stop %v: want a *StreakError naming the code and wrapping the last answer", err)
				}
			}
		})
	}
}
