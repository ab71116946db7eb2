package undo

import (
	"fmt"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// Target is a user the state directory created: a row of created.csv.
type Target struct {
	Line   int64
	Key    string
	UserID string
}

// ReadTargets returns the users the state directory dir created, in
// created.csv order, each user id once (a row re-reported after a crash
// appears twice in the file). Only created.csv is read: a user the run found
// (skipped.csv) or updated (updated.csv) is never a target. A row without a
// user id is an error naming its line.
func ReadTargets(dir string) ([]Target, error) {
	path := state.Dir{Path: dir}.Report(report.CreatedFile)
	seen := map[string]bool{}
	var out []Target
	err := report.Read(path, outcome.Created, func(c outcome.Row, _ int) error {
		if c.UserID == "" {
			return fmt.Errorf("read %s: line %d of the input: no user_id", path, c.Line)
		}
		if !seen[c.UserID] {
			seen[c.UserID] = true
			out = append(out, Target{Line: c.Line, Key: c.Key, UserID: c.UserID})
		}
		return nil
	})
	return out, err
}
