package emulator_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// waitClientJob polls ListJobs through the importer's client until job id
// has finished, or fails the test after a deadline.
func waitClientJob(t *testing.T, c *ciam.Client, id string) ciam.Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := c.ListJobs(context.Background(), &ciam.ListJobsRequest{UserStoreId: store, JobIds: []string{id}})
		if err != nil || len(resp.JobSet) != 1 {
			t.Fatalf("ListJobs %s: %v", id, err)
		}
		if resp.JobSet[0].Finished() {
			return resp.JobSet[0]
		}
		time.Sleep(5 * time.Millisecond) // poll interval, not a wait for the result
	}
	t.Fatalf("job %s not finished after 10s", id)
	return ciam.Job{}
}

// exportLines runs an export job through the client and returns its lines.
func exportLines(t *testing.T, c *ciam.Client, req *ciam.CreateFileExportUserJobRequest) []map[string]any {
	t.Helper()
	ctx := context.Background()
	created, err := c.CreateFileExportUserJob(ctx, req)
	if err != nil || created.Job.Type != ciam.JobTypeExportUser {
		t.Fatalf("CreateFileExportUserJob = %+v, %v", created, err)
	}
	job := waitClientJob(t, c, created.Job.Id)
	if job.Status != ciam.JobCompleted || job.Location == nil || job.Format == nil || *job.Format != ciam.FormatNDJSON {
		t.Fatalf("export job %+v", job)
	}
	body, err := c.OpenLocation(ctx, *job.Location)
	if err != nil {
		t.Fatalf("OpenLocation: %v", err)
	}
	defer body.Close()
	var lines []map[string]any
	sc := bufio.NewScanner(body)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	return lines
}

// TestClientExportAndDelete: the client's export job, its download, and
// DeleteUsers against the emulator.
func TestClientExportAndDelete(t *testing.T) {
	r := start(t)
	c := importerClient(t, r)
	ctx := context.Background()
	var ids []string
	for n := 1; n <= 3; n++ {
		req := userReq(n)
		resp, err := c.CreateUser(ctx, &req)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, resp.User.UserId)
	}
	lines := exportLines(t, c, &ciam.CreateFileExportUserJobRequest{UserStoreId: store, Format: ciam.FormatNDJSON})
	if len(lines) != 3 || lines[0]["UserId"] != ids[0] || lines[2]["PhoneNumber"] != "+86-13800000003" {
		t.Errorf("export lines %v", lines)
	}
	cols := exportLines(t, c, &ciam.CreateFileExportUserJobRequest{UserStoreId: store,
		Filters:            []ciam.Filter{{Key: ciam.FilterCondition, Values: []string{"user2"}}},
		ExportPropertyMaps: []ciam.ExportPropertyMap{{UserPropertyCode: "userName", ColumnName: "name"}}})
	if len(cols) != 1 || len(cols[0]) != 1 || cols[0]["name"] != "user2" {
		t.Errorf("filtered export %v", cols)
	}
	if _, err := c.DeleteUsers(ctx, &ciam.DeleteUsersRequest{UserStoreId: store, UserIds: ids[:2]}); err != nil {
		t.Fatalf("DeleteUsers: %v", err)
	}
	if users := r.Server.Users(store); len(users) != 1 || users[0].UserId != ids[2] {
		t.Errorf("after DeleteUsers: %d users", len(users))
	}
	if _, err := c.DeleteUsers(ctx, &ciam.DeleteUsersRequest{UserStoreId: store, UserIds: ids[:2]}); err != nil {
		t.Errorf("DeleteUsers again: %v", err)
	}
	if lines := exportLines(t, c, &ciam.CreateFileExportUserJobRequest{UserStoreId: store}); len(lines) != 1 {
		t.Errorf("export after delete: %d lines", len(lines))
	}
	before := r.Server.Stats().Requests
	if _, err := c.DeleteUsers(ctx, &ciam.DeleteUsersRequest{UserStoreId: store}); ciam.ClassOf(err) != ciam.Fatal {
		t.Errorf("empty DeleteUsers: %v", err)
	}
	if r.Server.Stats().Requests != before {
		t.Error("an empty DeleteUsers was sent")
	}
	// The deleted identities are free again.
	req := userReq(1)
	if _, err := c.CreateUser(ctx, &req); err != nil {
		t.Errorf("re-create a deleted user: %v", err)
	}
}

// TestClientUserGroups: names to ids with ListUserGroups, and
// CreateUserGroup, whose new group users may join.
func TestClientUserGroups(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.UserGroupNames = map[string]string{group1: "staff"} })
	c := importerClient(t, r)
	ctx := context.Background()
	page := ciam.Pageable{PageSize: 10, PageNumber: 1}
	all, err := c.ListUserGroups(ctx, &ciam.ListUserGroupsRequest{UserStoreId: store, Pageable: page})
	if err != nil || all.Total != 3 || all.Content[0].UserGroupId != group1 || all.Content[0].DisplayName != "staff" ||
		all.Content[1].DisplayName != "group2" || all.Content[0].UserStoreId != store {
		t.Fatalf("ListUserGroups = %+v, %v", all, err)
	}
	created, err := c.CreateUserGroup(ctx, &ciam.CreateUserGroupRequest{UserStoreId: store, DisplayName: "vip", Description: "d"})
	if err != nil || created.UserGroupId == "" {
		t.Fatalf("CreateUserGroup = %+v, %v", created, err)
	}
	_, err = c.CreateUserGroup(ctx, &ciam.CreateUserGroupRequest{UserStoreId: store, DisplayName: "vip"})
	var cerr *ciam.Error
	if !errors.As(err, &cerr) || cerr.Class != ciam.Conflict || cerr.Code != emulator.CodeUserGroupNameExists {
		t.Errorf("duplicate group name: %v", err)
	}
	vip, err := c.ListUserGroups(ctx, &ciam.ListUserGroupsRequest{UserStoreId: store, Pageable: page,
		Filters: []ciam.Filter{{Key: ciam.FilterCondition, Values: []string{"vip"}}}})
	if err != nil || vip.Total != 1 || vip.Content[0].UserGroupId != created.UserGroupId || *vip.Content[0].Description != "d" {
		t.Fatalf("ListUserGroups vip = %+v, %v", vip, err)
	}
	req := userReq(1)
	req.UserGroup = []string{created.UserGroupId}
	if _, err := c.CreateUser(ctx, &req); err != nil {
		t.Errorf("CreateUser in the new group: %v", err)
	}
}

// TestClientImportsAnyIdentifier: a user with a WeChat id alone, and one
// with an email alone, import through the client's ImportUser.
func TestClientImportsAnyIdentifier(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Store = emulator.StrictSettings() })
	c := importerClient(t, r)
	resp, err := c.CreateApiImportUserJob(context.Background(), &ciam.CreateApiImportUserJobRequest{UserStoreId: store,
		DataFlowUserCreateList: []ciam.ImportUser{{WechatOpenId: "wx-open-1", Gender: "MALE", Name: "张三", Zone: "Asia/Shanghai"},
			{Email: "only@example.com", Password: "Str0ng!pw", PasswordEncryptTypeEnum: emulator.DefaultPlaintextEnum}}})
	if err != nil {
		t.Fatal(err)
	}
	if job := waitClientJob(t, c, resp.Job.Id); len(job.FailedUsers) != 0 {
		t.Fatalf("failed users %+v", job.FailedUsers)
	}
	users := r.Server.Users(store)
	if len(users) != 2 || *users[0].WechatOpenId != "wx-open-1" || *users[0].Gender != "MALE" || users[1].UserName != nil {
		t.Errorf("users %+v", users)
	}
}
