package sink

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// settleJob settles the rows of a finished job. A row named in FailedUsers
// (matched by any of its identifiers) is a conflict or rejected by the
// reason's code, which is kept; every other row is confirmed by a lookup.
func (s *ImportJob) settleJob(ctx context.Context, b []*Row, cj *ciam.Job, since time.Time) {
	reasons := map[string]string{}
	for _, f := range cj.FailedUsers {
		reasons[f.FailedUserIdentification] = f.FailedReason
	}
	var rest []*Row
	for _, j := range b {
		if reason, ok := failedReason(reasons, j.User); ok {
			j.Finish(s.failedUser(j, reason))
			continue
		}
		rest = append(rest, j)
	}
	cause := &ciam.Error{Code: "ImportJob.UserNotFound", Message: "job " + cj.Id + " completed, but no user was found for this row"}
	if cj.Status == ciam.JobFailed {
		cause = &ciam.Error{Code: "ImportJob.Failed", Message: "job " + cj.Id + " ended FAILED and stored no user for this row"}
	}
	if cj.CreatedDate > 0 {
		since = time.UnixMilli(cj.CreatedDate).Add(-time.Second) // the service's own clock: no skew to allow for
	}
	s.confirm(ctx, rest, since, cause)
}

// failedReason finds the FailedUsers entry of a row: the reference does not
// say which identifier FailedUserIdentification holds, so any of them does.
func failedReason(reasons map[string]string, u *mapping.User) (string, bool) {
	if len(reasons) == 0 {
		return "", false
	}
	for _, id := range []string{u.UserName, u.Email, u.PhoneNumber, u.Key} {
		if r, ok := reasons[id]; id != "" && ok {
			return r, true
		}
	}
	return "", false
}

// failedUser settles a row the job reported failed. A reason that starts
// with a CIAM code ("FailedOperation.EmailAlreadyExists: ...") is classified
// like the same code from CreateUser.
func (s *ImportJob) failedUser(j *Row, reason string) Result {
	code, msg, ok := strings.Cut(reason, ":")
	if !ok || strings.ContainsAny(code, " \t") || !strings.Contains(code, ".") {
		code, msg = "ImportJob.FailedUser", reason
	}
	ce := &ciam.Error{Code: code, Message: strings.TrimSpace(msg), Field: ciam.FieldOf(code)}
	ce.Class, ce.Identifier = ciam.ClassifyCode(code)
	if ce.Class == ciam.Conflict {
		return conflictWith(j, s.Pass, ce.Identifier, ce)
	}
	return rejectedWith(j, s.Pass, ce)
}

// confirm settles rows whose users the job should have created: found and
// ours, created; found and someone else's, a conflict; not found, retryable
// with cause. The users changed since the job started are listed a page at
// a time (DescribeUser by lastModifiedDate, many rows per request); rows not
// among them are looked up one by one, so a listing the real service
// answers differently costs requests, never a wrong outcome.
func (s *ImportJob) confirm(ctx context.Context, rows []*Row, since time.Time, cause *ciam.Error) {
	listed := s.listSince(ctx, since, len(rows))
	for _, j := range rows {
		if u := listed[s.rowKey(j.User)]; u != nil && s.find.isOurs(u, j.User) {
			j.Finish(createdWith(j, s.Pass, u, ""))
			continue
		}
		f, err := s.find.find(ctx, j.User)
		if err != nil {
			j.Finish(lookupResult(ctx, s.Control, j, err))
		} else if r, ok := settleFound(j, s.Pass, f, nil); ok {
			j.Finish(r)
		} else {
			j.Finish(retryableWith(j, s.Pass, cause))
		}
	}
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
