package ciam

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// CreateFileExportUserJob starts an export of the store's users; poll the
// job with ListJobs and, once COMPLETED, read Job.Location with
// OpenLocation. A resend starts a second export (harmless, but it counts
// against the two unfinished jobs of FailedOperation.DataFlowTooManyRequests,
// Retryable and Error.Busy), so an uncertain failure is InDoubt: look for
// the job with ListJobs first. On success resp.Job is non-nil.
func (c *Client) CreateFileExportUserJob(ctx context.Context, req *CreateFileExportUserJobRequest) (*CreateFileExportUserJobResponse, error) {
	return send(ctx, c, ActionCreateFileExportUserJob, req, "Job",
		func(r *CreateFileExportUserJobResponse) (bool, string) { return r.Job != nil, r.RequestId })
}

// DeleteUsers deletes the users of req.UserIds. Deleting a deleted user
// again leaves the same state, but the reference does not say what the
// service answers for an unknown id, so it is not Idempotent: an uncertain
// failure is InDoubt; confirm deletions by lookup before sending again. An
// empty UserIds is refused here (Fatal ClientError.InvalidRequest, nothing
// sent).
func (c *Client) DeleteUsers(ctx context.Context, req *DeleteUsersRequest) (*DeleteUsersResponse, error) {
	if req != nil && len(req.UserIds) == 0 {
		return nil, &Error{Class: Fatal, Code: CodeInvalidRequest, Message: "no users to delete", Action: ActionDeleteUsers}
	}
	return send[DeleteUsersResponse](ctx, c, ActionDeleteUsers, req, "", nil)
}

// ListUserGroups returns one page of the store's user groups. Read-only.
func (c *Client) ListUserGroups(ctx context.Context, req *ListUserGroupsRequest) (*ListUserGroupsResponse, error) {
	return send[ListUserGroupsResponse](ctx, c, ActionListUserGroups, req, "", nil)
}

// CreateUserGroup creates a user group and returns its id. It is not
// idempotent: after an InDoubt error, look the name up with ListUserGroups
// before sending again (a resend may answer
// FailedOperation.UserGroupNameAlreadyExists, a Conflict).
func (c *Client) CreateUserGroup(ctx context.Context, req *CreateUserGroupRequest) (*CreateUserGroupResponse, error) {
	return send(ctx, c, ActionCreateUserGroup, req, "UserGroupId",
		func(r *CreateUserGroupResponse) (bool, string) { return r.UserGroupId != "", r.RequestId })
}

// downloadClient fetches job results; each download is bounded by the
// caller's context only (an export can be large).
var downloadClient = &http.Client{Transport: newBaseTransport()}

// OpenLocation opens the result of a finished job (Job.Location, an
// unsigned download URL) for reading; the caller closes it. The Location
// may carry a pre-signed token, so no error contains its query. A network
// failure is Retryable ClientError.NetworkError; a status other than 200 is
// ClientError.HTTPStatus, Retryable for 429 and 5xx (a download does
// nothing), Fatal otherwise.
func (c *Client) OpenLocation(ctx context.Context, location string) (io.ReadCloser, error) {
	u, err := url.Parse(location)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{Class: Fatal, Code: CodeInvalidRequest, Message: "job location is not an http(s) URL"}
	}
	shown := u.Scheme + "://" + u.Host + u.Path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, location, nil)
	if err != nil {
		return nil, &Error{Class: Fatal, Code: CodeInvalidRequest, Message: "build request for " + shown}
	}
	resp, err := downloadClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &Error{Class: Fatal, Code: CodeCanceled, Message: "download " + shown + ": " + ctx.Err().Error()}
		}
		return nil, &Error{Class: Retryable, Code: CodeNetworkError, Message: "download " + shown + ": " + describe(err)}
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		class := Fatal
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			class = Retryable
		}
		return nil, &Error{Class: class, Code: CodeHTTPStatus, HTTPStatus: resp.StatusCode,
			Message: fmt.Sprintf("download %s: HTTP %d", shown, resp.StatusCode)}
	}
	return resp.Body, nil
}
