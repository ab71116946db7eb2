package mapping

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"
)

// groupTarget is the one parameter whose elements may be group names.
const groupTarget = "UserGroup"

// GroupIDs resolves CIAM user group names to their ids, e.g. a table
// listed once per run with ListUserGroups. It must be safe for concurrent
// use; ok is false when no group has the name.
type GroupIDs interface {
	GroupID(name string) (id string, ok bool)
}

// GroupNames says that a mapping's UserGroup list holds group names
// (by: name), which the caller resolves to ids before any row is sent:
// [Spec.WithGroupIDs].
type GroupNames struct {
	Field  string // the CIAM parameter, "UserGroup"
	Source string // the rule's source, for messages
	Create bool   // missing: create; false is missing: reject
}

// byName is a by: name rule's setting; ids is nil until WithGroupIDs.
type byName struct {
	create bool
	ids    GroupIDs
}

// by decodes by: name|id.
func (d *decoder) by(r *rule, n *yaml.Node, field string) {
	s, ok := d.text(n, field)
	switch {
	case !ok:
	case s == "name":
		r.byName = &byName{}
	case s != "id":
		d.failf(n, field, "must be name (the list holds group names, resolved with ListUserGroups) or id (the default)")
	}
}

// missingGroups decodes a rule's missing: reject|create, which applies
// only next to by: name (a lookup's missing is inside lookup).
func (d *decoder) missingGroups(r *rule, entries []entry, field string) {
	for _, e := range entries {
		if e.key != "missing" {
			continue
		}
		f := join(field, e.key)
		if r.byName == nil {
			d.failf(e.knode, f, "missing applies only with by: name (for a lookup table, write it inside lookup)")
			return
		}
		s, _ := d.text(e.val, f)
		switch s {
		case "create":
			r.byName.create = true
		case "reject", "":
		default:
			d.failf(e.val, f, "must be reject (the row fails) or create (CreateUserGroup, once per name)")
		}
	}
}

// resolveGroups replaces each non-empty name by its group id. Without
// ids (no WithGroupIDs), the names stay as they are.
func (r *rule) resolveGroups(items []string) *FieldError {
	if r.byName == nil || r.byName.ids == nil {
		return nil
	}
	for i, s := range items {
		if s == "" {
			continue
		}
		id, ok := r.byName.ids.GroupID(s)
		if !ok {
			return r.fail(ErrUnknownGroup, fmt.Sprintf("element %d: no CIAM user group is named %q (by: name; add it in CIAM, or write missing: create)", i+1, s))
		}
		items[i] = id
	}
	return nil
}

// GroupNames reports whether the mapping's UserGroup holds names.
func (s *Spec) GroupNames() (GroupNames, bool) {
	if r := s.groupRule(); r != nil {
		return GroupNames{Field: groupTarget, Source: r.src.name(), Create: r.byName.create}, true
	}
	return GroupNames{}, false
}

// groupRule is the by: name UserGroup rule, or nil.
func (s *Spec) groupRule() *rule {
	for _, f := range s.fields {
		if f.t.name == groupTarget && f.r != nil && f.r.byName != nil {
			return f.r
		}
	}
	return nil
}

// RowGroupNames returns the group names of a row's by: name UserGroup, as
// Map would resolve them (after split, transforms and lookup), or nil when
// the mapping has none or the row's field fails (Map reports that). A
// caller collects them to create the missing groups before the run.
func (s *Spec) RowGroupNames(row Row) []string {
	r := s.groupRule()
	if r == nil {
		return nil
	}
	plain := *r
	plain.byName = &byName{}
	names, fe := plain.list(row)
	if fe != nil {
		return nil
	}
	return names
}

// WithGroupIDs returns a copy of s whose by: name UserGroup resolves names
// through ids: a name ids does not know fails the row with
// ErrUnknownGroup, naming the group. The hash (the resume fingerprint) is
// s's: group ids are not part of the job's identity. s itself is unchanged.
func (s *Spec) WithGroupIDs(ids GroupIDs) *Spec {
	c := *s
	c.fields = slices.Clone(s.fields)
	for i, f := range c.fields {
		if f.r != nil && f.r.byName != nil {
			r := *f.r
			b := *r.byName
			b.ids = ids
			r.byName = &b
			c.fields[i].r = &r
		}
	}
	return &c
}
