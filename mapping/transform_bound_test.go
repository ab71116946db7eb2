package mapping

import (
	"errors"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// regexStep.apply, built reference by reference, is ReplaceAllString.
func TestRegexStepIsReplaceAll(t *testing.T) {
	for _, tc := range []struct{ pattern, repl, in string }{
		{`a`, `b`, "banana"},
		{`(a)(n)`, `$2$1`, "banana"},
		{`(a)(n)`, `${2}x$1y`, "banana"},
		{`(?P<first>a)`, `[$first]`, "banana"},
		{`(a)`, `$1abc`, "banana"}, // the name is "1abc": empty
		{`a`, `$$1 $$`, "banana"},
		{`a*`, `-`, "baaac"}, // empty matches next to a match
		{`^`, `>`, "line"},
		{`\b`, `|`, "two words"},
		{`x`, `$`, "axb"},
		{`x`, `$$$1$`, "axb"},
		{`(é)`, `$1$1`, "café"},
		{`nomatch`, `$1`, "banana"},
	} {
		re := regexp.MustCompile(tc.pattern)
		got := regexStep{re: re, repl: tc.repl, pieces: splitRefs(tc.repl)}.apply(tc.in)
		if want := re.ReplaceAllString(tc.in, tc.repl); got != want {
			t.Errorf("%q -> %q on %q = %q, want %q (pieces %q)", tc.pattern, tc.repl, tc.in, got, want, splitRefs(tc.repl))
		}
	}
}

// A transform that would make a value longer than the bound fails the row,
// naming the field and the transform, without building the long value.
func TestTransformOutputBound(t *testing.T) {
	big := strings.Repeat("a", 100<<10)
	thousand := strings.Repeat("x", 1000)
	for _, tc := range []struct {
		name, fields string
		row          Row
		field        string
		reason       string // "" when the row maps
	}{
		{"regex_replace growing 100 KB to 100 MB", `  Nickname: {from: nick, transforms: [{regex_replace: {pattern: "a", replacement: "` + thousand + `"}}]}`,
			Row{"nick": big}, "Nickname", "transform regex_replace (transforms[0]) failed: output exceeds the bound of 65536 bytes"},
		{"one reference many times", `  Nickname: {from: nick, transforms: [trim, {regex_replace: {pattern: "(.+)", replacement: "` + strings.Repeat("$1", 2000) + `"}}]}`,
			Row{"nick": big}, "Nickname", "transform regex_replace (transforms[1]) failed"},
		{"every empty match", `  Nickname: {from: nick, transforms: [{regex_replace: {pattern: "x*", replacement: "` + thousand + `"}}]}`,
			Row{"nick": strings.Repeat("b", 100)}, "Nickname", "transform regex_replace (transforms[0]) failed"},
		{"a list element", `  UserGroup: {from: g, split: ";", transforms: [{regex_replace: {pattern: "b", replacement: "` + thousand + `"}}]}`,
			Row{"g": "a;" + strings.Repeat("b", 200)}, "UserGroup", "transform regex_replace (transforms[0]) failed"},
		{"a default past the bound", `  Nickname: {from: nick, transforms: [{default: "` + strings.Repeat("d", 70<<10) + `"}]}`,
			Row{"nick": ""}, "Nickname", "transform default (transforms[0]) failed"},
		{"a long value shortened", `  Nickname: {from: nick, transforms: [{regex_replace: {pattern: "a+", replacement: "b"}}]}`,
			Row{"nick": big}, "", ""},
		{"a long value passed through", `  Nickname: {from: nick, transforms: [trim, lower, {truncate: 20}]}`,
			Row{"nick": big}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSpec(t, tc.fields+"\n")
			row := Row{"id": "1"}
			for k, v := range tc.row {
				row[k] = v
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := s.Map(row)
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > allocSlack*32<<20 {
				t.Errorf("Map allocated %d MiB", grew>>20)
			}
			var fe *FieldError
			switch {
			case tc.reason == "":
				if errors.As(err, &fe) && strings.Contains(fe.Reason, "transform") {
					t.Errorf("Map = %v, want no transform error", err)
				}
			case !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Reason, tc.reason) || !errors.Is(err, ErrTooLong):
				t.Errorf("Map = %v, want %s: ~%q", err, tc.field, tc.reason)
			case strings.Contains(err.Error(), "xxxx") || strings.Contains(err.Error(), "aaaa"):
				t.Errorf("the error quotes the value: %v", err)
			}
		})
	}
}
