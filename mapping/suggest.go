package mapping

import (
	"fmt"
	"slices"
	"strings"
)

// contains reports whether s is in names.
func contains(names []string, s string) bool { return slices.Contains(names, s) }

// list formats names for an error message.
func list(names []string) string { return strings.Join(names, ", ") }

// suggest returns ` (did you mean "x"?)` when a name in names is close to s,
// else "".
func suggest(s string, names []string) string {
	best := closest(s, names)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// closest returns the name in names closest to s: equal but for case, one a
// prefix of the other (4 characters or more), or within edit distance 2;
// "" when none is close.
func closest(s string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if close, d := nearness(s, n); close && d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// nearness reports whether n is close to s, and how close (0 is closest).
func nearness(s, n string) (bool, int) {
	if strings.EqualFold(n, s) || len(n) >= 4 && len(s) >= 4 && (strings.HasPrefix(n, s) || strings.HasPrefix(s, n)) {
		return true, -1
	}
	d := distance(strings.ToLower(s), strings.ToLower(n))
	return d < 3, d
}

// closestN returns up to n names close to s, closest first.
func closestN(s string, names []string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, name := range names {
		if close, d := nearness(s, name); close {
			cs = append(cs, cand{name, d})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.d - b.d })
	out := make([]string, 0, min(n, len(cs)))
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
