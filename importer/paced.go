package importer

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/pace"
)

// paced is the API with every call held to the quota and retried by the
// pace.Pacer: the one decorator that paces the job. Sinks and lookups call
// it like the bare client.
type paced struct {
	api   API
	pacer *pace.Pacer
	obs   Observer
}

// newPacer returns the pacer of CIAM calls: each action held to rate (<= 0:
// unlimited), *ciam.Error answers read by classify.
func newPacer(rate float64, retry pace.RetryPolicy, opts ...pace.Option) *pace.Pacer {
	return pace.New(rate, retry, classify, opts...)
}

// classify reads a CIAM call's error for the pacer: only a *ciam.Error of
// class Retryable is retried; a rate limit is any RequestLimitExceeded code
// or an HTTP 429 without an API body.
func classify(err error) pace.Verdict {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ce.Class != ciam.Retryable {
		return pace.Verdict{}
	}
	return pace.Verdict{Retryable: true, RateLimited: isRateLimit(ce), RetryAfter: ce.RetryAfter, Unreachable: ce.Unreachable}
}

// isRateLimit tells the answers that mean the quota is exhausted: any
// RequestLimitExceeded code, or an HTTP 429 without an API body.
func isRateLimit(ce *ciam.Error) bool {
	return ce.Code == "RequestLimitExceeded" || strings.HasPrefix(ce.Code, "RequestLimitExceeded.") || ce.HTTPStatus == 429
}

// newPaced wraps api so that every call goes through pacer, and obs hears
// each attempt.
func newPaced(api API, pacer *pace.Pacer, obs Observer) API {
	return &paced{api: api, pacer: pacer, obs: obs}
}

type attemptsKey struct{}

// withAttempts returns a context in which paced calls add the number of
// attempts they made to n: a sink counts one row's calls with it.
func withAttempts(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, attemptsKey{}, n)
}

// call runs one API method under action's limiter and retry policy.
func call[Req, Resp any](ctx context.Context, p *paced, action string,
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
	if c, ok := ctx.Value(attemptsKey{}).(*atomic.Int64); ok {
		c.Add(int64(n))
	}
	return resp, err
}

func (p *paced) CreateUser(ctx context.Context, req *ciam.CreateUserRequest) (*ciam.CreateUserResponse, error) {
	return call(ctx, p, ciam.ActionCreateUser, p.api.CreateUser, req)
}

func (p *paced) CreateApiImportUserJob(ctx context.Context, req *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
	return call(ctx, p, ciam.ActionCreateApiImportUserJob, p.api.CreateApiImportUserJob, req)
}

func (p *paced) ListJobs(ctx context.Context, req *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error) {
	return call(ctx, p, ciam.ActionListJobs, p.api.ListJobs, req)
}

func (p *paced) ListUserByProperty(ctx context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error) {
	return call(ctx, p, ciam.ActionListUserByProperty, p.api.ListUserByProperty, req)
}

func (p *paced) DescribeUser(ctx context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error) {
	return call(ctx, p, ciam.ActionDescribeUser, p.api.DescribeUser, req)
}

func (p *paced) DescribeUserById(ctx context.Context, req *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error) {
	return call(ctx, p, ciam.ActionDescribeUserByID, p.api.DescribeUserById, req)
}
