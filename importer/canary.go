package importer

import (
	"context"

	"github.com/ciam-import/ciam-import/importer/canary"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
)

// StopCanary is Summary.Stopped after a canary run (Options.Canary).
const StopCanary = "canary"

// CanaryDiff is one field of a user a canary run wrote (created or updated,
// on any path) that CIAM holds differently from what the row says.
type CanaryDiff = canary.Diff

// pathOf is the canary path of a row the pipeline routes to a sink.
func (p *pipeline) pathOf(j *sink.Row) canary.Path { return canary.PathOf(p.sinks[p.route(j)].Name()) }

// canaryCollect returns the settle function of a canary run: it settles as
// usual and keeps each created or updated row's mapped user, with its path,
// for the read-back.
func (p *pipeline) canaryCollect(settle func(*sink.Row, sink.Result) error, rows *[]canary.Row) func(*sink.Row, sink.Result) error {
	return func(j *sink.Row, r sink.Result) error {
		o := r.Entry.Outcome
		if (o == outcome.Created.Name || o == outcome.Updated.Name) && j.User != nil && !j.Gone {
			path := p.pathOf(j)
			if o == outcome.Updated.Name {
				path = canary.PathUpdate
			}
			*rows = append(*rows, canary.Row{Line: j.Rec.Line, Path: path, User: j.User, UserID: r.Entry.UserID})
		}
		return settle(j, r)
	}
}

// checkCanary reads every user the canary wrote back and compares it field
// by field, Status included (canary.Check). It returns the differences and
// how many users it read on each path.
func checkCanary(ctx context.Context, api API, storeID string, rows []canary.Row) ([]CanaryDiff, map[canary.Path]int, error) {
	read := map[canary.Path]int{}
	for _, r := range rows {
		read[r.Path]++
	}
	diffs, err := canary.Check(ctx, api, storeID, rows)
	return diffs, read, err
}
