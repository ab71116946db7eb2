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
	best, bestDist := "", 3
	for _, n := range names {
		if strings.EqualFold(n, s) || len(n) >= 4 && len(s) >= 4 && (strings.HasPrefix(n, s) || strings.HasPrefix(s, n)) {
			return fmt.Sprintf(" (did you mean %q?)", n)
		}
		if d := distance(strings.ToLower(s), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
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
