package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

func TestParseConflictPolicy(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want ConflictPolicy
		ok   bool
	}{{"", ConflictSkip, true}, {"skip", ConflictSkip, true}, {"fail", ConflictFail, true}, {" update ", ConflictUpdate, true},
		{"Update", "", false}, {"overwrite", "", false}} {
		got, err := ParseConflictPolicy(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseConflictPolicy(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestFailOnConflict(t *testing.T) {
	conflict := state.Entry{Op: state.OpSettle, Line: 7, Key: "K7", Outcome: outcome.Conflict.Name, Identifier: "email", Code: "FailedOperation.EmailAlreadyExists"}
	created := state.Entry{Op: state.OpSettle, Line: 8, Outcome: outcome.Created.Name}
	for _, p := range ConflictPolicies {
		err := failOnConflict(p, conflict)
		if (err != nil) != (p == ConflictFail) {
			t.Errorf("%s: a conflict gives %v", p, err)
		}
		if err := failOnConflict(p, created); err != nil {
			t.Errorf("%s: a created row gives %v", p, err)
		}
	}
	var ce *ConflictStopError
	if err := failOnConflict(ConflictFail, conflict); !errors.As(err, &ce) || ce.Line != 7 || !strings.Contains(err.Error(), "K7") {
		t.Errorf("error %v", err)
	}
}
