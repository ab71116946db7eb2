package emulator_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// importerClient is the importer's own CIAM client pointed at r: the
// conformance check that the client's reading and the emulator's agree.
func importerClient(t *testing.T, r *emulator.Running) *ciam.Client {
	t.Helper()
	c, err := ciam.New(ciam.Config{Endpoint: r.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestImporterClientConformance(t *testing.T) {
	r := start(t)
	c := importerClient(t, r)
	ctx := context.Background()
	req := userReq(1)
	req.IndexedAttribute1 = "legacy-1"
	created, err := c.CreateUser(ctx, &req)
	if err != nil || created.User == nil || created.User.UserId == "" {
		t.Fatalf("CreateUser: %v", err)
	}
	byID, err := c.DescribeUserById(ctx, &ciam.DescribeUserByIdRequest{UserStoreId: store, UserId: created.User.UserId})
	if err != nil || byID.User == nil || *byID.User.UserName != "user1" {
		t.Errorf("DescribeUserById: %v", err)
	}
	page, err := c.DescribeUser(ctx, &ciam.DescribeUserRequest{UserStoreId: store, Pageable: ciam.Pageable{PageSize: 10, PageNumber: 1},
		Filters: []ciam.QueryUserFilter{{PropertyKey: "indexedAttribute1", PropertyValue: "legacy-1"}}})
	if err != nil || page.Total != 1 || page.Content[0].UserId != created.User.UserId {
		t.Errorf("DescribeUser: %v", err)
	}
	list, err := c.ListUserByProperty(ctx, &ciam.ListUserByPropertyRequest{UserStoreId: store, PropertyCode: ciam.PropertyEmail, PropertyValue: req.Email})
	if err != nil || len(list.Users) != 1 {
		t.Errorf("ListUserByProperty: %v", err)
	}
	_, err = c.CreateUser(ctx, &req)
	var cerr *ciam.Error
	if !errors.As(err, &cerr) || cerr.Code != emulator.CodeUserNameAlreadyExists {
		t.Errorf("duplicate: %v", err)
	}
}

// TestImporterClientSeesStoreThen5xx: the importer's client gets the
// gateway's 502/504 as an error that was sent, and the user exists.
func TestImporterClientSeesStoreThen5xx(t *testing.T) {
	r := start(t, withCreateFaults(emulator.FaultSpec{StoreThen5xxRate: 1}))
	req := userReq(1)
	_, err := importerClient(t, r).CreateUser(context.Background(), &req)
	var cerr *ciam.Error
	if !errors.As(err, &cerr) || !cerr.Sent || (cerr.HTTPStatus != 502 && cerr.HTTPStatus != 504) {
		t.Fatalf("error %#v", err)
	}
	if n := len(r.Server.Users(store)); n != 1 {
		t.Errorf("%d users", n)
	}
}
