package verify

import (
	"context"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/mapping"
)

// looker finds each row's user with lookups at the quota: the fallback
// when the export is refused or --no-export. With the legacy id mapped,
// one DescribeUser by that attribute; otherwise user name, email, phone
// number in turn, as a run's lookups do, keeping the user sink.Ours calls
// the row's. It cannot list extra users.
type looker struct {
	api        *paced
	store      string
	legacyAttr int
}

// lookup returns the row's verdict against what CIAM holds now.
func (l *looker) lookup(ctx context.Context, u *mapping.User) (Result, error) {
	r := Result{Key: u.Key, Verdict: Missing}
	for _, step := range l.steps(u) {
		if step.value == "" {
			continue
		}
		users, err := step.look(ctx, step.value)
		if err != nil {
			return r, fmt.Errorf("look up key %s: %w", u.Key, err)
		}
		for i := range users {
			if sink.Ours(&users[i], u, l.legacyAttr) {
				r.UserID = users[i].UserId
				r.Verdict, r.Fields = verdictOf(Compare(u, &users[i]))
				return r, nil
			}
		}
	}
	return r, nil
}

type lookStep struct {
	value string
	look  func(ctx context.Context, value string) ([]ciam.User, error)
}

func (l *looker) steps(u *mapping.User) []lookStep {
	if l.legacyAttr > 0 {
		return []lookStep{{u.Key, l.describe(fmt.Sprintf("indexedAttribute%d", l.legacyAttr))}}
	}
	return []lookStep{{u.UserName, l.describe("userName")}, {u.Email, l.byProperty(ciam.PropertyEmail)},
		{u.PhoneNumber, l.byProperty(ciam.PropertyPhoneNumber)}}
}

func (l *looker) describe(key string) func(context.Context, string) ([]ciam.User, error) {
	return func(ctx context.Context, value string) ([]ciam.User, error) {
		yes := true
		req := &ciam.DescribeUserRequest{UserStoreId: l.store, Pageable: ciam.Pageable{PageSize: 10, PageNumber: 1},
			Filters:  []ciam.QueryUserFilter{{PropertyKey: key, PropertyValue: value, Logic: &yes, OperateLogic: "="}},
			Original: &yes}
		var resp *ciam.DescribeUserResponse
		err := l.api.do(ctx, ciam.ActionDescribeUser, func(ctx context.Context) (err error) {
			resp, err = l.api.api.DescribeUser(ctx, req)
			return err
		})
		if err != nil {
			return nil, err
		}
		return resp.Content, nil
	}
}

func (l *looker) byProperty(code string) func(context.Context, string) ([]ciam.User, error) {
	return func(ctx context.Context, value string) ([]ciam.User, error) {
		yes := true
		req := &ciam.ListUserByPropertyRequest{UserStoreId: l.store, PropertyCode: code, PropertyValue: value, Original: &yes}
		var resp *ciam.ListUserByPropertyResponse
		err := l.api.do(ctx, ciam.ActionListUserByProperty, func(ctx context.Context) (err error) {
			resp, err = l.api.api.ListUserByProperty(ctx, req)
			return err
		})
		if err != nil {
			return nil, err
		}
		return resp.Users, nil
	}
}
