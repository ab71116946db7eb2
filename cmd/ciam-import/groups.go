package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ciam-import/ciam-import/importer/groups"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// resolveGroups makes a mapping whose UserGroup holds group names
// (by: name) map them to ids: it lists the store's groups once and, with
// missing: create, first reads the input for the names it uses and creates
// those the store lacks, once each, before any row is sent. A mapping
// without by: name comes back as it is.
func resolveGroups(ctx context.Context, spec *mapping.Spec, in source.Input, api groups.API, store string, log *slog.Logger) (*mapping.Spec, error) {
	g, ok := spec.GroupNames()
	if !ok {
		return spec, nil
	}
	tab, err := groups.List(ctx, api, store)
	if err != nil {
		return nil, fmt.Errorf("resolve %s by name: %w", g.Field, err)
	}
	if g.Create {
		names, err := groups.Names(in, spec)
		if err == nil {
			err = groups.Ensure(ctx, api, store, tab, names, func(name, id string) {
				log.Info("created user group", "name", name, "id", id)
			})
		}
		if err != nil {
			return nil, fmt.Errorf("resolve %s by name: %w", g.Field, err)
		}
	}
	log.Info("user group names resolved", "field", g.Field, "groups", tab.Len(), "missing", missingWord(g.Create))
	return spec.WithGroupIDs(tab), nil
}

// missingWord is the mapping's missing: setting.
func missingWord(create bool) string {
	if create {
		return "create"
	}
	return "reject"
}
