package groups

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// API is the part of the CIAM client this package calls.
type API interface {
	// ListUserGroups returns one page of the store's groups. Read-only.
	ListUserGroups(ctx context.Context, req *ciam.ListUserGroupsRequest) (*ciam.ListUserGroupsResponse, error)
	// CreateUserGroup creates a group. Not idempotent.
	CreateUserGroup(ctx context.Context, req *ciam.CreateUserGroupRequest) (*ciam.CreateUserGroupResponse, error)
}

// pageSize is how many groups one ListUserGroups page asks for.
const pageSize = 100

// maxPages bounds List (100,000 groups): a service that ignored
// PageNumber would otherwise be read forever.
const maxPages = 1000

// attempts bounds the calls of one List page or one create.
const attempts = 5

// backoff is the pause before attempt n (1-based) after a retryable error.
var backoff = func(n int) time.Duration { return time.Duration(n*n) * 200 * time.Millisecond }

// Table maps group names to ids. It is read-only once built, and so safe
// for concurrent use by mapping workers.
type Table struct {
	ids map[string]string
}

// GroupID returns the id of the group named name.
func (t *Table) GroupID(name string) (string, bool) {
	id, ok := t.ids[name]
	return id, ok
}

// Len is the number of groups in the table.
func (t *Table) Len() int { return len(t.ids) }

// Missing returns the names the table does not hold, in order.
func (t *Table) Missing(names []string) []string {
	var out []string
	for _, n := range names {
		if _, ok := t.ids[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

// List reads every group of the store, page by page. Two groups with the
// same name are an error (a name would not say which one).
func List(ctx context.Context, api API, store string) (*Table, error) {
	t := &Table{ids: map[string]string{}}
	for page := int64(1); page <= maxPages; page++ {
		resp, err := listPage(ctx, api, store, page)
		if err != nil {
			return nil, fmt.Errorf("list user groups: %w", err)
		}
		for _, g := range resp.Content {
			if id, dup := t.ids[g.DisplayName]; dup && id != g.UserGroupId {
				return nil, fmt.Errorf("list user groups: two groups are named %q (%s, %s): rename one in CIAM", g.DisplayName, id, g.UserGroupId)
			}
			t.ids[g.DisplayName] = g.UserGroupId
		}
		if len(resp.Content) < pageSize { // a short page is the last; Total is not relied on
			return t, nil
		}
	}
	return nil, fmt.Errorf("list user groups: more than %d pages of %d groups", maxPages, pageSize)
}

// listPage reads one page, again after a retryable error.
func listPage(ctx context.Context, api API, store string, page int64) (*ciam.ListUserGroupsResponse, error) {
	req := &ciam.ListUserGroupsRequest{UserStoreId: store, Pageable: ciam.Pageable{PageSize: pageSize, PageNumber: page}}
	var err error
	for n := 1; n <= attempts; n++ {
		var resp *ciam.ListUserGroupsResponse
		if resp, err = api.ListUserGroups(ctx, req); err == nil {
			return resp, nil
		}
		if !again(err) {
			return nil, err
		}
		if werr := wait(ctx, n); werr != nil {
			return nil, errors.Join(err, werr)
		}
	}
	return nil, err
}

// again reports whether an answer may be different next time.
func again(err error) bool {
	c := ciam.ClassOf(err)
	return c == ciam.Retryable || c == ciam.InDoubt
}

// wait pauses before attempt n+1, or returns ctx's error.
func wait(ctx context.Context, n int) error {
	t := time.NewTimer(backoff(n))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
