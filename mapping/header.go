package mapping

import (
	"errors"
	"fmt"
	"strings"
)

// CheckHeader checks a CSV header against the mapping: every field read by
// key, from or a template must be a column. It returns one *SpecError per
// missing column (joined), each positioned at the mapping line that reads it.
// Column names are compared exactly.
func (s *Spec) CheckHeader(header []string) error {
	return errors.Join(s.headerErrors(header)...)
}

// headerErrors returns one *SpecError per missing column.
func (s *Spec) headerErrors(header []string) []error {
	cols := make(map[string]bool, len(header))
	for _, h := range header {
		cols[h] = true
	}
	var errs []error
	for _, r := range s.refs {
		if cols[r.name] {
			continue
		}
		errs = append(errs, &SpecError{
			File: s.file, Line: r.line, Column: r.column, Field: r.field,
			Msg: fmt.Sprintf("column %q is not in the CSV header%s", r.name, columnHint(r.name, header)),
		})
	}
	return errs
}

// columnHint suggests a header column that differs only in case, spaces or a
// byte-order mark.
func columnHint(name string, header []string) string {
	for _, h := range header {
		clean := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if strings.EqualFold(clean, name) {
			return fmt.Sprintf(" (the header has %q)", h)
		}
	}
	return suggest(name, header)
}
