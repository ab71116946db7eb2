package mapping

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	_ "time/tzdata" // tests use Asia/Shanghai whatever the host has installed
	"unicode/utf8"
)

// marker marks an expected error position in test YAML; it is removed
// before parsing.
const marker = "«"

// stripMarkers removes the markers from s and returns their 1-based
// line:column positions in order.
func stripMarkers(s string) (string, [][2]int) {
	var pos [][2]int
	var b strings.Builder
	line, col := 1, 1
	for len(s) > 0 {
		if strings.HasPrefix(s, marker) {
			pos = append(pos, [2]int{line, col})
			s = s[len(marker):]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		b.WriteRune(r)
		s = s[size:]
		col++
		if r == '\n' {
			line, col = line+1, 1
		}
	}
	return b.String(), pos
}

// specErrors unwraps a joined Parse error into its *SpecErrors, sorted by
// position.
func specErrors(t *testing.T, err error) []*SpecError {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else if err != nil {
		errs = []error{err}
	}
	out := make([]*SpecError, 0, len(errs))
	for _, e := range errs {
		var se *SpecError
		if !errors.As(e, &se) {
			t.Fatalf("error %v (%T) is not a *SpecError", e, e)
		}
		out = append(out, se)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}

// requiredFields maps the four required parameters to constants.
var requiredFields = map[string]string{
	"UserName":    "  UserName: {const: user1}\n",
	"Email":       "  Email: {const: user1@example.com}\n",
	"PhoneNumber": "  PhoneNumber: {const: \"+8613800138000\"}\n",
	"Password":    "  Password: {const: " + testPassword + "}\n",
}

// specYAML builds a mapping file with key "id" whose fields are fields plus
// constants for any required parameter fields does not map.
func specYAML(fields string) string {
	var b strings.Builder
	b.WriteString("version: 1\nkey: id\nfields:\n")
	b.WriteString(fields)
	for _, name := range []string{"UserName", "Email", "PhoneNumber", "Password"} {
		if !strings.Contains(fields, "  "+name+":") {
			b.WriteString(requiredFields[name])
		}
	}
	return b.String()
}

// mustSpec parses specYAML(fields).
func mustSpec(t testing.TB, fields string, opts ...Option) *Spec {
	t.Helper()
	s, err := Parse("test.yaml", []byte(specYAML(fields)), opts...)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// jsonNumber builds a json.Number as decoded with UseNumber.
func jsonNumber(s string) json.Number { return json.Number(s) }
