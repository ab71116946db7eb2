package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// fakeAPI is a store of users that exports them and answers lookups; it
// counts the calls by action.
type fakeAPI struct {
	mu     sync.Mutex
	users  []ciam.User
	jobs   map[string]*ciam.Job
	files  map[string][]byte
	calls  map[string]int
	refuse bool // CreateFileExportUserJob answers UnsupportedOperation
}

func newFake(users ...ciam.User) *fakeAPI {
	return &fakeAPI{users: users, jobs: map[string]*ciam.Job{}, files: map[string][]byte{}, calls: map[string]int{}}
}

func (f *fakeAPI) count(action string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[action]++
}

func (f *fakeAPI) CreateFileExportUserJob(_ context.Context, req *ciam.CreateFileExportUserJobRequest) (*ciam.CreateFileExportUserJobResponse, error) {
	f.count(ciam.ActionCreateFileExportUserJob)
	if f.refuse {
		return nil, &ciam.Error{Class: ciam.Fatal, Code: "UnsupportedOperation", Action: ciam.ActionCreateFileExportUserJob}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var b bytes.Buffer
	for _, u := range f.users {
		line, _ := json.Marshal(u)
		b.Write(append(line, '\n'))
	}
	id := fmt.Sprintf("job%d", len(f.jobs)+1)
	loc := "https://download.example/" + id
	f.files[loc] = b.Bytes()
	f.jobs[id] = &ciam.Job{Id: id, Status: ciam.JobCompleted, Type: ciam.JobTypeExportUser, Location: &loc}
	return &ciam.CreateFileExportUserJobResponse{Job: &ciam.Job{Id: id, Status: ciam.JobPending}}, nil
}

func (f *fakeAPI) ListJobs(_ context.Context, req *ciam.ListJobsRequest) (*ciam.ListJobsResponse, error) {
	f.count(ciam.ActionListJobs)
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := &ciam.ListJobsResponse{}
	for _, id := range req.JobIds {
		if j, ok := f.jobs[id]; ok {
			resp.JobSet = append(resp.JobSet, *j)
		}
	}
	return resp, nil
}

func (f *fakeAPI) OpenLocation(_ context.Context, location string) (io.ReadCloser, error) {
	f.count(actionDownload)
	f.mu.Lock()
	defer f.mu.Unlock()
	return io.NopCloser(bytes.NewReader(f.files[location])), nil
}

func (f *fakeAPI) DescribeUser(_ context.Context, req *ciam.DescribeUserRequest) (*ciam.DescribeUserResponse, error) {
	f.count(ciam.ActionDescribeUser)
	flt := req.Filters[0]
	return &ciam.DescribeUserResponse{Content: f.where(func(u *ciam.User) string {
		if flt.PropertyKey == "userName" {
			return ciam.Value(u.UserName)
		}
		var n int
		fmt.Sscanf(flt.PropertyKey, "indexedAttribute%d", &n)
		return ciam.Indexed(u, n)
	}, flt.PropertyValue)}, nil
}

func (f *fakeAPI) ListUserByProperty(_ context.Context, req *ciam.ListUserByPropertyRequest) (*ciam.ListUserByPropertyResponse, error) {
	f.count(ciam.ActionListUserByProperty)
	return &ciam.ListUserByPropertyResponse{Users: f.where(func(u *ciam.User) string {
		if req.PropertyCode == ciam.PropertyEmail {
			return strings.ToLower(ciam.Value(u.Email))
		}
		return ciam.Value(u.PhoneNumber)
	}, req.PropertyValue)}, nil
}

func (f *fakeAPI) where(prop func(*ciam.User) string, value string) []ciam.User {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ciam.User
	for i := range f.users {
		if prop(&f.users[i]) == value {
			out = append(out, f.users[i])
		}
	}
	return out
}

func (f *fakeAPI) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}
