package importer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// ConflictPolicy says what a run does when a row's user, or one of its
// identifiers, already exists (--on-conflict).
type ConflictPolicy string

// The conflict policies.
const (
	// ConflictSkip (the default) reports a conflict and goes on; a user
	// that is ours (imported before) is skipped.
	ConflictSkip ConflictPolicy = "skip"
	// ConflictFail stops the run at the first conflict (Summary.Stopped is
	// StopFatal, the exit code 5): for imports that must be clean. The
	// conflicting row is settled and reported first, so a later run goes on
	// after it and its report stays.
	ConflictFail ConflictPolicy = "fail"
	// ConflictUpdate sends the mapped fields with UpdateUser when the
	// existing user is ours (its legacy-id attribute holds the row's key, or
	// without one, its email, phone number and user name all match); a user
	// that is not ours stays a conflict and is never overwritten. With a
	// ledger, only changed rows are sent, and only their changed fields.
	ConflictUpdate ConflictPolicy = "update"
)

// ConflictPolicies lists the policies, for usage messages.
var ConflictPolicies = []ConflictPolicy{ConflictSkip, ConflictFail, ConflictUpdate}

// ParseConflictPolicy reads a --on-conflict value; "" is ConflictSkip.
func ParseConflictPolicy(s string) (ConflictPolicy, error) {
	switch p := ConflictPolicy(strings.TrimSpace(s)); p {
	case "":
		return ConflictSkip, nil
	case ConflictSkip, ConflictFail, ConflictUpdate:
		return p, nil
	}
	return "", fmt.Errorf("--on-conflict must be skip, fail or update, got %q", s)
}

// ConflictStopError is the error that stops a run under ConflictFail.
type ConflictStopError struct {
	Line       int64
	Key        string
	Identifier string // email, phone_number, user_name, legacy_key or unknown
	Code       string
}

func (e *ConflictStopError) Error() string {
	return fmt.Sprintf("--on-conflict fail: line %d (key %s) conflicts on %s (%s); the job stops at the first conflict (see conflicts.csv)",
		e.Line, e.Key, e.Identifier, e.Code)
}

// failOnConflict returns the error that stops the run for a settled entry
// under ConflictFail, or nil.
func failOnConflict(policy ConflictPolicy, e state.Entry) error {
	if policy != ConflictFail || e.Outcome != outcome.Conflict.Name {
		return nil
	}
	return &ConflictStopError{Line: e.Line, Key: e.Key, Identifier: e.Identifier, Code: e.Code}
}

// ErrPolicy means the options ask for a conflict policy the run cannot
// follow.
var ErrPolicy = errors.New("conflict policy")

// checkPolicy refuses options that cannot work together, before anything
// is written, and warns about mapping settings the policy ignores.
func checkPolicy(opt Options) error {
	if _, err := ParseConflictPolicy(string(opt.OnConflict)); err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	if opt.ReportMissing && opt.LedgerPath == "" {
		return fmt.Errorf("%w: --report-missing needs --ledger (the keys imported before)", ErrPolicy)
	}
	if opt.OnConflict != ConflictUpdate {
		if opt.Spec.UpdatesPassword() {
			opt.Logger.Warn("the mapping's Password update: true has an effect only with --on-conflict update")
		}
		return nil
	}
	if _, ok := opt.API.(Updater); !ok {
		return fmt.Errorf("%w: --on-conflict update needs a client with UpdateUser and SetPassword", ErrPolicy)
	}
	if opt.Spec.HasPasswordHash() {
		opt.Logger.Warn("rows with a password hash keep their CIAM password when updated: a hash cannot be set through UpdateUser or SetPassword")
	}
	return nil
}
