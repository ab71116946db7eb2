package groups

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
)

func init() { backoff = func(int) time.Duration { return time.Millisecond } }

// seeded is a fake holding n groups g1..gn with ids id-1..id-n.
func seeded(n int) *ciamtest.Fake {
	f := ciamtest.New()
	for i := 1; i <= n; i++ {
		f.AddGroups(ciam.UserGroup{UserGroupId: fmt.Sprintf("id-%d", i), DisplayName: fmt.Sprintf("g%d", i)})
	}
	return f
}

func TestListPagesThroughEveryGroup(t *testing.T) {
	for _, n := range []int{0, 1, pageSize - 1, pageSize, 2*pageSize + 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := seeded(n)
			tab, err := List(context.Background(), f, "store")
			if err != nil {
				t.Fatal(err)
			}
			if tab.Len() != n {
				t.Errorf("listed %d groups, want %d", tab.Len(), n)
			}
			if id, ok := tab.GroupID(fmt.Sprintf("g%d", n)); n > 0 && (!ok || id != fmt.Sprintf("id-%d", n)) {
				t.Errorf("the last group: %q, %v", id, ok)
			}
			if want := n/pageSize + 1; f.Count(ciam.ActionListUserGroups) != want {
				t.Errorf("%d ListUserGroups calls, want %d", f.Count(ciam.ActionListUserGroups), want)
			}
		})
	}
}

func TestListRefusesTwoGroupsOfOneName(t *testing.T) {
	f := seeded(2).AddGroups(ciam.UserGroup{UserGroupId: "id-other", DisplayName: "g1"})
	if _, err := List(context.Background(), f, "store"); err == nil || !strings.Contains(err.Error(), `two groups are named "g1"`) {
		t.Errorf("List: %v, want two groups named g1", err)
	}
}

func TestEnsureCreatesEachMissingGroupOnce(t *testing.T) {
	inDoubt := &ciam.Error{Class: ciam.InDoubt, Code: "Test.Timeout", Err: context.DeadlineExceeded}
	exists := ciamtest.ClassErr(ciam.ActionCreateUserGroup, ciam.Conflict, "FailedOperation.UserGroupNameAlreadyExists")
	retry := ciamtest.ClassErr(ciam.ActionCreateUserGroup, ciam.Retryable, "RequestLimitExceeded")
	fatal := ciamtest.ClassErr(ciam.ActionCreateUserGroup, ciam.Fatal, "UnauthorizedOperation")
	tests := []struct {
		name    string
		script  []ciamtest.Answer // CreateUserGroup's answers for "new"
		creates int               // CreateUserGroup calls
		id      string            // the id "new" gets
		err     string
	}{
		{name: "created", creates: 1, id: "group-3"},
		{name: "stored, answer lost", script: []ciamtest.Answer{{GroupID: "id-lost", Err: inDoubt}}, creates: 1, id: "id-lost"},
		{name: "made meanwhile by someone else", script: []ciamtest.Answer{{GroupID: "id-race", Err: exists}}, creates: 1, id: "id-race"},
		{name: "not stored, in doubt, sent again", script: []ciamtest.Answer{{Err: inDoubt}, {GroupID: "id-2nd"}}, creates: 2, id: "id-2nd"},
		{name: "rate limited", script: []ciamtest.Answer{{Err: retry}, {GroupID: "id-2nd"}}, creates: 2, id: "id-2nd"},
		{name: "fatal", script: []ciamtest.Answer{{Err: fatal}}, creates: 1, err: `create user group "new"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := seeded(2).Script(ciam.ActionCreateUserGroup, tt.script...)
			tab, err := List(context.Background(), f, "store")
			if err != nil {
				t.Fatal(err)
			}
			var made []string
			err = Ensure(context.Background(), f, "store", tab, []string{"g1", "new", "g2", "new"}, func(name, id string) { made = append(made, name+"="+id) })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Ensure: %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := f.Count(ciam.ActionCreateUserGroup); n != tt.creates {
				t.Errorf("%d CreateUserGroup calls, want %d", n, tt.creates)
			}
			if id, _ := tab.GroupID("new"); id != tt.id || len(made) != 1 {
				t.Errorf("new has id %q (told %v), want %q once", id, made, tt.id)
			}
			again, err := List(context.Background(), f, "store")
			if err != nil {
				t.Fatal(err)
			}
			if again.Len() != 3 {
				t.Errorf("the store holds %d groups, want 3: none created twice", again.Len())
			}
			f.CheckNoLeftovers(t)
		})
	}
}
