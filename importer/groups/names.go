package groups

import (
	"errors"
	"fmt"
	"io"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// Names reads the whole input and returns the group names its rows hold
// in the mapping's by: name UserGroup, each once, in order of first use.
// Malformed records and rows whose field fails are passed over: the run
// reports them.
func Names(in source.Input, spec *mapping.Spec) ([]string, error) {
	r, err := in.Open("")
	if err != nil {
		return nil, fmt.Errorf("read group names: %w", err)
	}
	defer r.Close()
	seen := map[string]bool{}
	var out []string
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read group names: %w", err)
		}
		if rec.Err != nil {
			continue
		}
		for _, n := range spec.RowGroupNames(rec.Fields) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
}
