package sink

import (
	"context"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// CodeSourceGone is the code of a row settled without its source row.
const CodeSourceGone = "Local.SourceGone"

// settleGone settles a row that an earlier run began and the source no
// longer has (Row.Gone): it may have been sent, so it is never sent again,
// only looked up by its journaled legacy key. Our user found: created; no
// user: skipped, nothing was created. Without the legacy-id
// attribute no lookup can tell, and the row is rejected with what to check.
// Every message says that the source no longer has the row.
func settleGone(ctx context.Context, c *Control, guard *streak, f *Finder, j *Row) Result {
	gone := fmt.Sprintf("the source no longer has the row an earlier run began at line %d (id %s, legacy key %q)",
		j.Rec.Line, j.Rec.ID, j.User.Key)
	if f.legacyAttr == 0 {
		e := j.Entry(outcome.Rejected, c.Pass)
		e.Field, e.Code = "key", CodeSourceGone
		e.Message = gone + ": that run may have created its user, and the mapping stores no legacy id to look it up by; " +
			"search CIAM for the user name, email or phone number this key had in the old export, and delete that user if the row is gone for good"
		return Settle(e)
	}
	users, err := f.byLegacyID(ctx, j.User)
	if err != nil {
		r := lookupResult(ctx, c, guard, j, err)
		r.Entry.Message = gone + "; looking its key up failed: " + r.Entry.Message
		return r
	}
	found := f.judge(users, j.User, "")
	if found.verdict == ours {
		r := createdWith(j, c.Pass, found.user, "")
		r.Entry.Code, r.Entry.Message = CodeSourceGone, gone+"; that run created its user "+found.user.UserId+", which stays in CIAM"
		return r
	}
	e := j.Entry(outcome.Skipped, c.Pass)
	e.Code = CodeSourceGone
	e.Message = gone + "; no CIAM user holds this legacy key, so nothing was created: nothing to do"
	return Settle(e)
}
