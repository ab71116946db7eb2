package sink

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// settleJob settles the rows of a finished job, every one by a lookup:
// the job's word alone settles no row.
//
// Safe reading (issue 20, silent-points.md "Job.FailedUsers"): the
// reference gives FailedUsers as {FailedUserIdentification, FailedReason}
// with the one example reason "error reason"; it says neither which
// identifier names the user, nor the reason's format or language, nor
// whether users the job did import may be listed. So a row named there is
// looked up like every other: our user found is created, someone else's a
// conflict, and only a row whose user is absent is rejected, with the
// reason shown verbatim and never parsed for a code. An entry names a row
// only when exactly one row of the batch has that identifier; a shared one
// could be either row's, and both are then settled like unnamed rows.
func (s *ImportJob) settleJob(ctx context.Context, b []*Row, cj *ciam.Job, since time.Time) {
	notFound := &ciam.Error{Code: "ImportJob.UserNotFound", Message: "job " + cj.Id + " completed, but no user was found for this row"}
	if cj.Status == ciam.JobFailed {
		notFound = &ciam.Error{Code: "ImportJob.Failed", Message: "job " + cj.Id + " ended FAILED and stored no user for this row"}
	}
	if cj.CreatedDate > 0 {
		since = time.UnixMilli(cj.CreatedDate).Add(-time.Second) // the service's own clock: no skew to allow for
	}
	named := failedRows(b, cj.FailedUsers)
	s.confirm(ctx, b, since, func(j *Row) *ciam.Error {
		if reason, ok := named[j]; ok {
			return failedUserError(cj.Id, reason)
		}
		return notFound
	})
}

// codeFailedUser is the code of a row a job named in FailedUsers and no
// lookup found a user for.
const codeFailedUser = "ImportJob.FailedUser"

// failedUserError is the cause of a row named in FailedUsers: rejected if
// its user is absent, with the job's reason as it was written.
func failedUserError(jobID, reason string) *ciam.Error {
	return &ciam.Error{Class: ciam.Rejected, Code: codeFailedUser,
		Message: reason + " (import job " + jobID + " listed this row in FailedUsers)"}
}

// failedRows maps the rows of b that an entry of failed names to the
// entry's reason. FailedUserIdentification may be any identifier of a row
// (the reference does not say which), so an entry names the one row of b
// that has it; an identifier two rows share names neither.
func failedRows(b []*Row, failed []ciam.FailedUsers) map[*Row]string {
	out := map[*Row]string{}
	if len(failed) == 0 {
		return out
	}
	holders := map[string][]*Row{}
	for _, j := range b {
		for _, id := range identifiers(j.User) {
			holders[id] = append(holders[id], j)
		}
	}
	for _, f := range failed {
		if rows := holders[f.FailedUserIdentification]; len(rows) == 1 {
			out[rows[0]] = f.FailedReason
		}
	}
	return out
}

// identifiers lists the distinct non-empty identifiers of u an entry of
// FailedUsers may name it by.
func identifiers(u *mapping.User) []string {
	var out []string
	for _, id := range []string{u.UserName, u.Email, u.PhoneNumber, u.Key} {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// confirm settles rows whose users the job should have created: found and
// ours, created; found and someone else's, a conflict; not found, by
// causeOf the row (settleFailure: rejected for a row the job named failed,
// else retryable). The users changed since the job started are listed a page at
// a time (DescribeUser by lastModifiedDate, many rows per request); rows not
// among them are looked up one by one, so a listing the real service
// answers differently costs requests, never a wrong outcome.
func (s *ImportJob) confirm(ctx context.Context, rows []*Row, since time.Time, causeOf func(*Row) *ciam.Error) {
	listed := s.listSince(ctx, since, len(rows))
	for _, j := range rows {
		if u := listed[s.rowKey(j.User)]; u != nil && s.find.isOurs(u, j.User) {
			j.Finish(createdWith(j, s.Pass, u, ""))
			continue
		}
		cause := causeOf(j)
		f, err := s.find.find(ctx, j.User)
		if err != nil {
			j.Finish(lookupResult(ctx, s.Control, s.guard, j, err))
		} else if r, ok := settleFound(j, s.Pass, f, takenCause(cause)); ok {
			j.Finish(r)
		} else {
			j.Finish(settleFailure(j, s.Pass, cause))
		}
	}
}

// takenCause is what a conflict found by lookup reports of the job: the
// reason of a FailedUsers entry that named the row, as written; nil for
// any other cause, which says nothing of the collision.
func takenCause(cause *ciam.Error) *ciam.Error {
	if cause.Code != codeFailedUser {
		return nil
	}
	c := *cause
	c.Class = ciam.Conflict
	return &c
}

// rowKey is what listSince indexes users by: the legacy id when the mapping
// stores it in an indexed attribute, else the user name.
func (s *ImportJob) rowKey(u *mapping.User) string {
	if s.find.legacyAttr > 0 {
		return u.Key
	}
	return u.UserName
}

func (s *ImportJob) userKey(u *ciam.User) string {
	if s.find.legacyAttr > 0 {
		return ciam.Indexed(u, s.find.legacyAttr)
	}
	return ciam.Value(u.UserName)
}

// listSince lists the users modified since the job started, newest first,
// by pages, at most about four times the rows a batch holds; an error ends
// the listing early (the rows left are looked up one by one).
func (s *ImportJob) listSince(ctx context.Context, since time.Time, rows int) map[string]*ciam.User {
	out := map[string]*ciam.User{}
	yes := true
	maxPages := 4*rows/s.opt.PageSize + 2
	for page := int64(1); page <= int64(maxPages); page++ {
		resp, err := s.api.DescribeUser(ctx, &ciam.DescribeUserRequest{
			UserStoreId: s.storeID,
			Pageable:    ciam.Pageable{PageSize: int64(s.opt.PageSize), PageNumber: page},
			Filters: []ciam.QueryUserFilter{{PropertyKey: "lastModifiedDate", PropertyValue: strconv.FormatInt(since.UnixMilli(), 10),
				Logic: &yes, OperateLogic: ">="}},
			Sort:     &ciam.Sort{PropertyKey: "lastModifiedDate", Order: "DESC"}, // newest first: the cap drops older jobs' users
			Original: &yes,
		})
		if err != nil {
			return out
		}
		for i := range resp.Content {
			out[s.userKey(&resp.Content[i])] = &resp.Content[i]
		}
		if len(resp.Content) < s.opt.PageSize || int64(page)*int64(s.opt.PageSize) >= resp.Total {
			return out
		}
	}
	return out
}
