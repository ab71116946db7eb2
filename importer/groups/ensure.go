package groups

import (
	"context"
	"errors"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// Description is the description of every group Ensure creates.
const Description = "created by ciam-import (mapping: missing: create)"

// Ensure creates, with CreateUserGroup, each of names the table does not
// hold, once, and adds it to the table; created is told each new group.
// An answer that may hide a success (in doubt, retryable, the name already
// exists) is followed by a new List: a group found there is taken, never
// created again. A fatal or rejected answer stops Ensure with an error
// naming the group.
func Ensure(ctx context.Context, api API, store string, t *Table, names []string, created func(name, id string)) error {
	for _, name := range t.Missing(names) {
		if _, done := t.ids[name]; done { // named twice
			continue
		}
		id, err := create(ctx, api, store, name)
		if err != nil {
			return fmt.Errorf("create user group %q: %w", name, err)
		}
		t.ids[name] = id
		if created != nil {
			created(name, id)
		}
	}
	return nil
}

// create sends CreateUserGroup for name until an answer settles it.
func create(ctx context.Context, api API, store, name string) (string, error) {
	var err error
	for n := 1; n <= attempts; n++ {
		var resp *ciam.CreateUserGroupResponse
		resp, err = api.CreateUserGroup(ctx, &ciam.CreateUserGroupRequest{UserStoreId: store, DisplayName: name, Description: Description})
		if err == nil {
			return resp.UserGroupId, nil
		}
		if !again(err) && ciam.ClassOf(err) != ciam.Conflict {
			return "", err
		}
		t, lerr := List(ctx, api, store) // it may exist now: never create it twice
		if lerr != nil {
			return "", errors.Join(err, lerr)
		}
		if id, ok := t.GroupID(name); ok {
			return id, nil
		}
		if werr := wait(ctx, n); werr != nil {
			return "", errors.Join(err, werr)
		}
	}
	return "", err
}
