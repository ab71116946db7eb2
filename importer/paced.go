package importer

import (
	"context"
	"errors"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/sink"
)

// pacedAPI is the client with every call held to the quota and retried by
// the Pacer: the one decorator that paces a run. Sinks and lookups call it
// like the bare client. It also implements sink.Updater when the client
// does (Run's checkPolicy makes sure of that before ConflictUpdate).
type pacedAPI struct {
	api   API
	pacer *pace.Pacer
	obs   Observer
}

// newPacedAPI makes the pacer of a run and the client paced by it.
func newPacedAPI(opt Options) (*pace.Pacer, pacedAPI) {
	onRetry := func(e pace.RetryEvent) {
		opt.Observer.Retried()
		if opt.OnRetry != nil {
			opt.OnRetry(e)
		}
	}
	pacer := ciam.NewPacer(opt.Rate, opt.Retry, append(opt.PacerOpts, pace.WithRetryHook(onRetry))...)
	return pacer, pacedAPI{api: opt.API, pacer: pacer, obs: opt.Observer}
}

// call runs one API method under action's limiter and retry policy, and
// counts its attempts for the row ctx carries (sink.WithAttempts).
func call[Req, Resp any](ctx context.Context, p pacedAPI, action string,
	fn func(context.Context, *Req) (*Resp, error), req *Req) (resp *Resp, err error) {
	n, err := p.pacer.Do(ctx, action, func(ctx context.Context) error {
		p.obs.Sent(action)
		start := time.Now()
		resp, err = fn(ctx, req)
		code, refused := answerCode(err)
		p.obs.Answered(action, code, time.Since(start))
		if refused {
			p.obs.Refused()
		}
		return err
	})
	sink.CountAttempts(ctx, n)
	return resp, err
}

func (p pacedAPI) CreateUser(ctx context.Context, req *ciam.CreateUserRequest) (*ciam.CreateUserResponse, error) {
	return call(ctx, p, ciam.ActionCreateUser, p.api.CreateUser, req)
}

func (p pacedAPI) CreateApiImportUserJob(ctx context.Context, req *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
	return call(ctx, p, ciam.ActionCreateApiImportUserJob, p.api.CreateApiImportUserJob, req)
}

func (p pacedAPI) ListJobs(ctx context.Context, req *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error) {
	return call(ctx, p, ciam.ActionListJobs, p.api.ListJobs, req)
}

func (p pacedAPI) ListUserByProperty(ctx context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error) {
	return call(ctx, p, ciam.ActionListUserByProperty, p.api.ListUserByProperty, req)
}

func (p pacedAPI) DescribeUser(ctx context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error) {
	return call(ctx, p, ciam.ActionDescribeUser, p.api.DescribeUser, req)
}

func (p pacedAPI) DescribeUserById(ctx context.Context, req *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error) {
	return call(ctx, p, ciam.ActionDescribeUserByID, p.api.DescribeUserById, req)
}

// errNoUpdater answers an update through a client without UpdateUser.
var errNoUpdater = errors.New("the client has no UpdateUser and SetPassword")

func (p pacedAPI) UpdateUser(ctx context.Context, req *ciam.UpdateUserRequest) (*ciam.UpdateUserResponse, error) {
	u, ok := p.api.(sink.Updater)
	if !ok {
		return nil, errNoUpdater
	}
	return call(ctx, p, ciam.ActionUpdateUser, u.UpdateUser, req)
}

func (p pacedAPI) SetPassword(ctx context.Context, req *ciam.SetPasswordRequest) (*ciam.SetPasswordResponse, error) {
	u, ok := p.api.(sink.Updater)
	if !ok {
		return nil, errNoUpdater
	}
	return call(ctx, p, ciam.ActionSetPassword, u.SetPassword, req)
}
