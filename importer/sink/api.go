package sink

import (
	"context"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// API is the part of the CIAM client the importer uses. *ciam.Client
// implements it; every error it returns is a *ciam.Error (or wraps a context
// error), classified once at the client edge.
type API interface {
	// CreateUser creates one user. It is not idempotent: an in-doubt answer
	// must be reconciled with a lookup, never resent blindly.
	CreateUser(ctx context.Context, req *ciam.CreateUserRequest) (*ciam.CreateUserResponse, error)
	// CreateApiImportUserJob starts an asynchronous import of many users
	// (password hashes allowed). Not idempotent and without a client token:
	// an in-doubt answer is settled by lookups once every job of the store
	// has finished.
	CreateApiImportUserJob(ctx context.Context, req *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error)
	// ListJobs lists the store's jobs (or those named). Read-only.
	ListJobs(ctx context.Context, req *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error)
	// ListUserByProperty finds users by exact email or phone number. Read-only.
	ListUserByProperty(ctx context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error)
	// DescribeUserById reads one user (nil User when there is none). Read-only.
	DescribeUserById(ctx context.Context, req *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error)
	// DescribeUser finds users by whitelisted properties. Read-only.
	DescribeUser(ctx context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error)
}
