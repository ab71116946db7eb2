package verify

import (
	"context"
	"io"
	"sync/atomic"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/pace"
)

// API is the part of the CIAM client verify uses; every method is
// read-only except CreateFileExportUserJob, which starts an export (a
// resend starts a second one: harmless).
type API interface {
	CreateFileExportUserJob(ctx context.Context, req *ciam.CreateFileExportUserJobRequest) (*ciam.CreateFileExportUserJobResponse, error)
	ListJobs(ctx context.Context, req *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error)
	// OpenLocation opens a finished job's download; the caller closes it.
	OpenLocation(ctx context.Context, location string) (io.ReadCloser, error)
	DescribeUser(ctx context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error)
	ListUserByProperty(ctx context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error)
}

// actionDownload paces the download of Job.Location, which is not an API
// action but is retried like one.
const actionDownload = "download"

// paced holds every call to the quota, retries what is retryable and
// counts the requests sent.
type paced struct {
	api      API
	pacer    *pace.Pacer
	requests atomic.Int64
}

func newPaced(api API, rate float64, retry pace.RetryPolicy) *paced {
	return &paced{api: api, pacer: ciam.NewPacer(rate, retry)}
}

// do runs fn under action's limiter and retry policy.
func (p *paced) do(ctx context.Context, action string, fn func(context.Context) error) error {
	_, err := p.pacer.Do(ctx, action, func(ctx context.Context) error {
		p.requests.Add(1)
		return fn(ctx)
	})
	return err
}
