package importer

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/sink"
)

// The pacing decorator retries through the pace.Pacer and adds every attempt,
// of every action, to the counter in the context: a row's calls.
func TestPacedCountsAttempts(t *testing.T) {
	create, describe, list := ciam.ActionCreateUser, ciam.ActionDescribeUser, ciam.ActionListUserByProperty
	api := ciamtest.New().
		Script(create, ciamtest.Answer{Err: apiErr(create, "InternalError")}, ciamtest.Answer{User: &ciam.User{UserId: "uid-1"}, RequestID: "req-1"}).
		Script(describe, ciamtest.Answer{Err: apiErr(describe, "InternalError")}, ciamtest.Answer{Users: []ciam.User{{UserId: "uid-1"}}}).
		Script(list, ciamtest.Answer{Users: []ciam.User{{UserId: "uid-2"}}})
	p := pacedAPI{api: api, pacer: fastPacer(3), obs: nopObserver{}}
	var n atomic.Int64
	ctx := sink.WithAttempts(context.Background(), &n)
	resp, err := p.CreateUser(ctx, &ciam.CreateUserRequest{})
	if err != nil || resp.User.UserId != "uid-1" || resp.RequestId != "req-1" {
		t.Fatalf("CreateUser: %+v, %v", resp, err)
	}
	d, err := p.DescribeUser(ctx, &ciam.DescribeUserRequest{})
	if err != nil || len(d.Content) != 1 {
		t.Fatalf("DescribeUser: %+v, %v", d, err)
	}
	l, err := p.ListUserByProperty(ctx, &ciam.ListUserByPropertyRequest{})
	if err != nil || len(l.Users) != 1 || l.Users[0].UserId != "uid-2" {
		t.Fatalf("ListUserByProperty: %+v, %v", l, err)
	}
	if got := n.Load(); got != 5 {
		t.Errorf("counted %d attempts, want 5 (2 creates, 2 describes, 1 list)", got)
	}
	checkNoLeftovers(t, api)

	// A context without a counter counts nowhere; a failure still counts.
	api.Script(create, ciamtest.Answer{Err: apiErr(create, "FailedOperation.EmailIsNull")})
	if _, err := p.CreateUser(context.Background(), &ciam.CreateUserRequest{}); err == nil {
		t.Error("the rejection was lost")
	}
	api.Script(create, ciamtest.Answer{Err: apiErr(create, "FailedOperation.EmailIsNull")})
	if _, err := p.CreateUser(ctx, &ciam.CreateUserRequest{}); err == nil || n.Load() != 6 {
		t.Errorf("failed call: %v, %d attempts counted, want 6", err, n.Load())
	}
}
