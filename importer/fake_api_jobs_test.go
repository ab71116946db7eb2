package importer

import (
	"context"
	"errors"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// The import-job actions of the test fakes. Tests of the job sink use the
// real emulator; these fakes only refuse, so that a test of the CreateUser
// path notices a row routed to the job sink by mistake.

var errNoJobs = &ciam.Error{Class: ciam.Fatal, Code: "Test.NoImportJobs", Message: "this fake has no import jobs", Err: errors.New("no jobs")}

func (f *fakeAPI) CreateApiImportUserJob(context.Context, *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
	f.note(ciam.ActionCreateApiImportUserJob)
	return nil, errNoJobs
}

func (f *fakeAPI) ListJobs(context.Context, *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error) {
	return &ciam.ListJobsResponse{}, nil
}

func (g *gateAPI) CreateApiImportUserJob(context.Context, *ciam.CreateApiImportUserJobRequest) (*ciam.CreateApiImportUserJobResponse, error) {
	return nil, errNoJobs
}

func (g *gateAPI) ListJobs(context.Context, *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error) {
	return &ciam.ListJobsResponse{}, nil
}

func (f *fakeAPI) DescribeUserById(context.Context, *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error) {
	f.note(ciam.ActionDescribeUserByID)
	return &ciam.DescribeUserByIdResponse{}, nil
}

func (g *gateAPI) DescribeUserById(context.Context, *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error) {
	return &ciam.DescribeUserByIdResponse{}, nil
}
