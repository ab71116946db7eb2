package sink

import (
	"context"
	"slices"
	"strconv"
	"strings"
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
	detailed, general := detailRows(b, cj.ErrorDetails)
	if general != "" {
		notFound.Message += "; the job's ErrorDetails: " + general
	}
	s.confirm(ctx, b, since, func(j *Row) *ciam.Error {
		if reason, ok := named[j]; ok {
			return failedUserError(cj.Id, reason)
		}
		if text, ok := detailed[j]; ok {
			return errorDetailError(cj.Id, text)
		}
		return notFound
	})
}

// errorDetailError is the cause of a row named in ErrorDetails: rejected
// if its user is absent, with the job's text as it was written.
//
// Safe reading (issue 20, silent-points.md "Job.ErrorDetails"): the
// reference gives ErrorDetails as {UserId, Error}, "失败详情" (failure
// details), and says neither when it is filled nor what UserId holds for a
// user the job did not store. An entry is treated like a FailedUsers
// entry: it names the one row of the batch that has its UserId as an
// identifier, that row is looked up like every other, and its Error is
// shown verbatim, never parsed. An entry that names no row (a job-wide
// failure) is shown in the message of every row no lookup found.
func errorDetailError(jobID, text string) *ciam.Error {
	return &ciam.Error{Class: ciam.Rejected, Code: codeFailedUser,
		Message: text + " (import job " + jobID + " listed this row in ErrorDetails)"}
}

// maxDetailText bounds the job-wide ErrorDetails text added to each row's
// message.
const maxDetailText = 500

// detailRows maps the rows of b an ErrorDetails entry names (by UserId, as
// failedRows does) to its Error, and joins the entries that name no row of
// b into one text (at most maxDetailText bytes) with the batch's secrets
// removed.
func detailRows(b []*Row, details []ciam.ErrorDetails) (map[*Row]string, string) {
	byRow := map[*Row]string{}
	var general []string
	holders := identifierHolders(b)
	for _, d := range details {
		if rows := holders[d.UserId]; d.UserId != "" && len(rows) == 1 {
			byRow[rows[0]] = scrub(b, d.Error)
			continue
		}
		if t := strings.TrimSpace(d.Error); t != "" && !slices.Contains(general, t) {
			general = append(general, t)
		}
	}
	text := scrub(b, strings.Join(general, "; "))
	if len(text) > maxDetailText {
		text = strings.ToValidUTF8(text[:maxDetailText], "") + "…"
	}
	return byRow, text
}

// scrub replaces in text every password, hash and salt of the batch: a
// service's free text could echo what it was sent.
func scrub(b []*Row, text string) string {
	for _, j := range b {
		for _, s := range []string{j.User.Password.Reveal(), j.User.PasswordHash.Hash.Reveal(), j.User.PasswordHash.Salt.Reveal()} {
			if len(s) >= 4 {
				text = strings.ReplaceAll(text, s, "[REDACTED]")
			}
		}
	}
	return text
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
	holders := identifierHolders(b)
	for _, f := range failed {
		if rows := holders[f.FailedUserIdentification]; len(rows) == 1 {
			out[rows[0]] = f.FailedReason
		}
	}
	return out
}

// identifierHolders maps each identifier of the rows of b to the rows
// that have it.
func identifierHolders(b []*Row) map[string][]*Row {
	holders := map[string][]*Row{}
	for _, j := range b {
		for _, id := range identifiers(j.User) {
			holders[id] = append(holders[id], j)
		}
	}
	return holders
}

// identifiers lists the distinct non-empty identifiers of u an entry of
// FailedUsers or ErrorDetails may name it by: the nine of ImportUser and
// the legacy key.
func identifiers(u *mapping.User) []string {
	var out []string
	for _, id := range u.Identifiers() {
		if id[1] != "" && !slices.Contains(out, id[1]) {
			out = append(out, id[1])
		}
	}
	if u.Key != "" && !slices.Contains(out, u.Key) {
		out = append(out, u.Key)
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
		if k := s.rowKey(j.User); k != "" && listed[k] != nil && s.find.isOurs(listed[k], j.User) { // a row without a UserName has no key here
			j.Finish(createdWith(j, s.Pass, listed[k], ""))
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
