package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// checkSample maps the first rows of in and refuses the job (a usage error,
// before anything is written) when every one of them fails on the same
// field: a required field mapped from a column the input does not have (a
// typo) would otherwise reject every row, and the fixed mapping would then
// need --restart. The error keeps the pre-flight's "closest fields".
func checkSample(in source.Input, spec *mapping.Spec) error {
	r, err := in.Open("")
	if err != nil {
		return err
	}
	defer r.Close()
	var rows []mapping.Row
	for len(rows) < preflightRows {
		rec, err := r.Next()
		if err != nil {
			break
		}
		if rec.Err == nil {
			rows = append(rows, rec.Fields)
		}
	}
	field := commonFailure(spec, rows)
	if field == "" {
		return nil
	}
	// Only a field the sample lacks altogether: bad values in the first
	// rows do not say the later rows are bad too.
	for _, w := range spec.Preflight(rows) {
		if w.Field == field || strings.HasPrefix(w.Field, "fields."+field+".") {
			return fmt.Errorf("%s; %s is required, so every row would be rejected and nothing was sent: fix the mapping (or the input) and run again", w, field)
		}
	}
	return nil
}

// commonFailure is the field on which every row fails to map, if any.
func commonFailure(spec *mapping.Spec, rows []mapping.Row) (field string) {
	for i, row := range rows {
		_, err := spec.Map(row)
		var fe *mapping.FieldError
		if !errors.As(err, &fe) || (i > 0 && fe.Field != field) {
			return ""
		}
		field = fe.Field
	}
	return field
}
