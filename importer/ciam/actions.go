package ciam

import "context"

// CreateApiImportUserJob starts CIAM's own asynchronous import of
// req.DataFlowUserCreateList; poll the job with ListJobs. It is not
// idempotent (a resend would start a second job importing the same users),
// so every failure that does not prove nothing happened is InDoubt: look for
// the job with ListJobs before sending again. FailedOperation.DataFlowTooManyRequests
// (two unfinished jobs) is Retryable and Error.Busy: wait for a job to
// finish. On success resp.Job is non-nil. An empty user list is refused here
// (Fatal ClientError.InvalidRequest, nothing sent). Errors never contain a
// password, salt or salt rule of the request.
func (c *Client) CreateApiImportUserJob(ctx context.Context, req *CreateApiImportUserJobRequest) (*CreateApiImportUserJobResponse, error) {
	if req == nil {
		return nil, nilRequest(ActionCreateApiImportUserJob)
	}
	if len(req.DataFlowUserCreateList) == 0 {
		return nil, &Error{Class: Fatal, Code: CodeInvalidRequest, Message: "no users to import",
			Action: ActionCreateApiImportUserJob}
	}
	var resp CreateApiImportUserJobResponse
	f, err := c.call(ctx, ActionCreateApiImportUserJob, req, &resp)
	if err == nil && resp.Job == nil {
		err = f.invalidResponse("success answer without a Job", nil)
		err.RequestID = resp.RequestId
	}
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

// ListJobs returns the jobs of req.JobIds (every job of the store when
// empty). Read-only: it never returns InDoubt. Its answer can be large
// (FailedUsers of big jobs): one longer than Config.MaxResponseBytes fails
// Retryable ClientError.ResponseTooLarge; ask for fewer jobs at a time.
func (c *Client) ListJobs(ctx context.Context, req *ListJobsRequest) (*ListJobsResponse, error) {
	return send[ListJobsResponse](ctx, c, ActionListJobs, req, "", nil)
}

// UpdateUser sets the given fields of an existing user. The values are
// absolute, so a resend is safe and it never returns InDoubt: what would be
// in doubt is Retryable (Error.Sent still tells whether it may have reached
// the service). A taken identifier is a Conflict; an unknown user is
// Rejected (FailedOperation.UserNotFound). On success resp.User is non-nil.
func (c *Client) UpdateUser(ctx context.Context, req *UpdateUserRequest) (*UpdateUserResponse, error) {
	return send(ctx, c, ActionUpdateUser, req, "User", func(r *UpdateUserResponse) (bool, string) { return r.User != nil, r.RequestId })
}

// SetPassword sets a user's password. Setting the same password twice
// leaves the same state, so it never returns InDoubt (Retryable instead).
// The reference is silent on whether a user store's password-history policy
// refuses a password equal to the current one; if it does, a resend after
// an unseen success comes back Rejected. Errors never contain req.Password.
func (c *Client) SetPassword(ctx context.Context, req *SetPasswordRequest) (*SetPasswordResponse, error) {
	return send[SetPasswordResponse](ctx, c, ActionSetPassword, req, "", nil)
}

// ListUser pages through the users of a store, optionally filtered (see the
// Filter* keys; FilterCondition matches user id, name, phone or email).
// Read-only: it never returns InDoubt.
func (c *Client) ListUser(ctx context.Context, req *ListUserRequest) (*ListUserResponse, error) {
	return send[ListUserResponse](ctx, c, ActionListUser, req, "", nil)
}
