package mapping

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// step is one transform. On list parameters it runs on every element, except
// defaultStep, which fills an empty list.
type step interface {
	apply(s string) string
}

// trimStep removes leading and trailing white space.
type trimStep struct{}

func (trimStep) apply(s string) string { return strings.TrimSpace(s) }

// trimCharsStep removes leading and trailing characters of a cut set.
type trimCharsStep struct{ cutset string }

func (t trimCharsStep) apply(s string) string { return strings.Trim(s, t.cutset) }

// lowerStep lower-cases (Unicode-aware).
type lowerStep struct{}

func (lowerStep) apply(s string) string { return strings.ToLower(s) }

// upperStep upper-cases (Unicode-aware).
type upperStep struct{}

func (upperStep) apply(s string) string { return strings.ToUpper(s) }

// collapseStep trims and turns every run of white space (including line
// breaks) into one space.
type collapseStep struct{}

func (collapseStep) apply(s string) string {
	if !needsCollapse(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// needsCollapse reports whether collapseStep would change s.
func needsCollapse(s string) bool {
	prevSpace := true
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (prevSpace || r != ' ') {
			return true
		}
		prevSpace = space
	}
	return prevSpace && s != ""
}

// defaultStep replaces an empty value.
type defaultStep struct{ v string }

func (d defaultStep) apply(s string) string {
	if s == "" {
		return d.v
	}
	return s
}

// regexStep replaces every match of re with repl ($1 expands groups).
type regexStep struct {
	re   *regexp.Regexp
	repl string
}

func (r regexStep) apply(s string) string { return r.re.ReplaceAllString(s, r.repl) }

// truncateStep keeps at most n characters (runes).
type truncateStep struct{ n int }

func (t truncateStep) apply(s string) string {
	if len(s) <= t.n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < t.n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	return s[:i]
}
