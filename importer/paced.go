package importer

import (
	"context"
	"sync/atomic"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// paced is the API with every call held to the quota and retried by the
// Pacer: the one decorator that paces the job. Sinks and lookups call it
// like the bare client.
type paced struct {
	api   API
	pacer *Pacer
}

// newPaced wraps api so that every call goes through pacer.
func newPaced(api API, pacer *Pacer) API { return &paced{api: api, pacer: pacer} }

type attemptsKey struct{}

// withAttempts returns a context in which paced calls add the number of
// attempts they made to n: a sink counts one row's calls with it.
func withAttempts(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, attemptsKey{}, n)
}

func (p *paced) do(ctx context.Context, action string, call func(context.Context) error) error {
	n, err := p.pacer.Do(ctx, action, call)
	if c, ok := ctx.Value(attemptsKey{}).(*atomic.Int64); ok {
		c.Add(int64(n))
	}
	return err
}

func (p *paced) CreateUser(ctx context.Context, req *ciam.CreateUserRequest) (resp *ciam.CreateUserResponse, err error) {
	err = p.do(ctx, ciam.ActionCreateUser, func(ctx context.Context) error {
		resp, err = p.api.CreateUser(ctx, req)
		return err
	})
	return resp, err
}

func (p *paced) ListUserByProperty(ctx context.Context, req *ciam.ListUserByPropertyRequest) (resp *ciam.ListUserByPropertyResponse, err error) {
	err = p.do(ctx, ciam.ActionListUserByProperty, func(ctx context.Context) error {
		resp, err = p.api.ListUserByProperty(ctx, req)
		return err
	})
	return resp, err
}

func (p *paced) DescribeUser(ctx context.Context, req *ciam.DescribeUserRequest) (resp *ciam.DescribeUserResponse, err error) {
	err = p.do(ctx, ciam.ActionDescribeUser, func(ctx context.Context) error {
		resp, err = p.api.DescribeUser(ctx, req)
		return err
	})
	return resp, err
}
