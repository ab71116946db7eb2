package mapping

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// groupTable is a GroupIDs over a map.
type groupTable map[string]string

func (g groupTable) GroupID(name string) (string, bool) { id, ok := g[name]; return id, ok }

func TestGroupsByNameDecode(t *testing.T) {
	tests := []struct {
		name, fields string
		want         GroupNames
		ok           bool
		err          string // a SpecError containing this, "" for none
	}{
		{name: "by name", fields: "  UserGroup: {from: groups, split: \";\", by: name}\n",
			want: GroupNames{Field: "UserGroup", Source: "groups"}, ok: true},
		{name: "missing create", fields: "  UserGroup: {from: groups, by: name, missing: create}\n",
			want: GroupNames{Field: "UserGroup", Source: "groups", Create: true}, ok: true},
		{name: "by id is the default", fields: "  UserGroup: {from: groups, by: id}\n"},
		{name: "no by", fields: "  UserGroup: {from: groups}\n"},
		{name: "by on another field", fields: "  Nickname: {from: n, by: name}\n", err: "by applies only to UserGroup"},
		{name: "by on UserOrg", fields: "  UserOrg: {from: orgs, by: name}\n", err: "by applies only to UserGroup"},
		{name: "unknown by", fields: "  UserGroup: {from: groups, by: label}\n", err: "must be name"},
		{name: "missing without by", fields: "  UserGroup: {from: groups, missing: create}\n", err: "missing applies only with by: name"},
		{name: "unknown missing", fields: "  UserGroup: {from: groups, by: name, missing: drop}\n", err: "must be reject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(specYAML(tt.fields)))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "test.yaml:") {
					t.Fatalf("Parse: %v, want an error at a position saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := s.GroupNames(); got != tt.want || ok != tt.ok {
				t.Errorf("GroupNames = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestGroupsByNameMap(t *testing.T) {
	s := mustSpec(t, "  UserGroup: {from: groups, split: \";\", transforms: [trim], by: name}\n")
	ids := groupTable{"Staff": "id-staff", "Admins": "id-admins"}
	r := s.WithGroupIDs(ids)
	if r.Hash() != s.Hash() {
		t.Error("resolving group ids changed the mapping's hash (the resume fingerprint)")
	}
	tests := []struct {
		groups string
		want   []string
		err    string
	}{
		{groups: "Staff; Admins ;Staff", want: []string{"id-staff", "id-admins"}},
		{groups: ""},
		{groups: "Staff;Ghosts", err: `UserGroup (source groups): element 2: no CIAM user group is named "Ghosts"`},
	}
	for _, tt := range tests {
		t.Run(tt.groups, func(t *testing.T) {
			u, err := r.Map(Row{"id": "row-1", "groups": tt.groups})
			if tt.err != "" {
				if !errors.Is(err, ErrUnknownGroup) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Map: %v, want ErrUnknownGroup saying %q", err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(u.UserGroup, tt.want) {
				t.Fatalf("Map = %v, %v; want %v", u, err, tt.want)
			}
			if names := s.RowGroupNames(Row{"id": "row-1", "groups": tt.groups}); len(tt.want) > 0 && !slices.Equal(names, []string{"Staff", "Admins"}) {
				t.Errorf("RowGroupNames = %v, want the names as written, once each", names)
			}
		})
	}
	u, err := s.Map(Row{"id": "row-1", "groups": "Staff"})
	if err != nil || !slices.Equal(u.UserGroup, []string{"Staff"}) {
		t.Errorf("unresolved spec: Map = %v, %v; want the names as they are", u, err)
	}
}
