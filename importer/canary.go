package importer

import (
	"context"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/verify"
	"github.com/ciam-import/ciam-import/mapping"
)

// StopCanary is Summary.Stopped after a canary run (Options.Canary).
const StopCanary = "canary"

// CanaryDiff is one field of a user created by a canary run that CIAM holds
// differently from what the mapping sent.
type CanaryDiff struct {
	Line  int64  `json:"line"`
	Key   string `json:"key"`
	Field string `json:"field"`
	Sent  string `json:"sent"`
	Got   string `json:"got"`
}

// canaryRow is a user a canary run created, with what was sent.
type canaryRow struct {
	line   int64
	user   *mapping.User
	userID string
}

// canaryCollect returns the settle function of a canary run: it settles as
// usual and keeps each created row's mapped user for the read-back.
func (p *pipeline) canaryCollect(settle func(*sink.Row, sink.Result) error, rows *[]canaryRow) func(*sink.Row, sink.Result) error {
	return func(j *sink.Row, r sink.Result) error {
		if r.Entry.Outcome == outcome.Created.Name && j.User != nil {
			*rows = append(*rows, canaryRow{line: j.Rec.Line, user: j.User, userID: r.Entry.UserID})
		}
		return settle(j, r)
	}
}

// checkCanary reads every created user back and compares each mapped field
// with what CIAM holds: the cheapest way to learn, before a million users,
// that the mapping or the service disagree (phone formats, birthdates,
// groups, attributes) with verify.Compare, the comparison `ciam-import
// verify` makes. Passwords are never compared or shown.
func checkCanary(ctx context.Context, api API, storeID string, rows []canaryRow) ([]CanaryDiff, error) {
	var diffs []CanaryDiff
	yes := true
	for _, r := range rows {
		resp, err := api.DescribeUserById(ctx, &ciam.DescribeUserByIdRequest{UserStoreId: storeID, UserId: r.userID, Original: &yes})
		if err != nil {
			return diffs, fmt.Errorf("canary: read back line %d: %w", r.line, err)
		}
		if resp.User == nil {
			diffs = append(diffs, CanaryDiff{Line: r.line, Key: r.user.Key, Field: "UserId", Sent: r.userID, Got: "(no such user)"})
			continue
		}
		for _, f := range verify.Compare(r.user, resp.User) {
			diffs = append(diffs, CanaryDiff{Line: r.line, Key: r.user.Key, Field: f.Field, Sent: f.Sent, Got: f.Got})
		}
	}
	return diffs, nil
}
