package source

import (
	"errors"
	"strings"
	"testing"
)

func TestDuplicateMember(t *testing.T) {
	tests := []struct {
		in   string
		name string // the duplicate's full name; "" for none
		col  int
	}{
		{in: `{"a":1,"b":2}`},
		{in: `{"a":1,"a":2}`, name: "a", col: 10},
		{in: `{"a":1,"\u0061":2}`, name: "a", col: 15},
		{in: `{"email":"x","EMAIL":"y"}`},
		{in: `{"p":{"x":1,"x":2}}`, name: "p.x", col: 15},
		{in: `{"p":{"x":1},"q":{"x":1}}`},
		{in: `{"l":[{"x":1},{"x":2}],"x":3}`},
		{in: `{"l":[{"x":1,"x":2}]}`, name: "l.x", col: 16},
		{in: `{"a":{"b":[1,{"c":2}],"d":3},"e":4,"a":5}`, name: "a", col: 38},
		{in: `{"s":"\":\":","s":1}`, name: "s", col: 17},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			name, path, col, ok := duplicateMember([]byte(tt.in))
			if ok != (tt.name != "") {
				t.Fatalf("found %v (%q), want %v", ok, name, tt.name != "")
			}
			if !ok {
				return
			}
			full := joinPath(path, name)
			if full != tt.name || col != tt.col {
				t.Errorf("duplicate %q at column %d, want %q at %d", full, col, tt.name, tt.col)
			}
		})
	}
}

// TestJSONLDuplicateIsRowError: a duplicate member is a row error naming
// it; the next row reads.
func TestJSONLDuplicateIsRowError(t *testing.T) {
	r := &jsonlReader{}
	_, col, err := r.object([]byte(`{"id":"1","email":"a@x","em\u0061il":"b@x"}`))
	var re error = err
	if !errors.Is(re, ErrInvalidJSON) || !strings.Contains(err.Error(), `duplicate member name "email"`) || col == 0 {
		t.Fatalf("err %v col %d, want a duplicate member error naming email", err, col)
	}
}
