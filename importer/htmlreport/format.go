package htmlreport

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// num formats n with thousands separators: 1234567 -> "1,234,567".
func num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// dec formats f with one decimal, or none when it is whole.
func dec(f float64) string {
	if f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// stamp formats t in UTC to the second; "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// clock formats t as HH:MM:SS UTC, with the date when withDate.
func clock(t time.Time, withDate bool) string {
	if withDate {
		return t.UTC().Format("01-02 15:04:05")
	}
	return t.UTC().Format("15:04:05")
}

// span formats a duration compactly: 45s, 12m05s, 3h04m, 2d03h.
func span(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 86400:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	default:
		return fmt.Sprintf("%dd%02dh", s/86400, s%86400/3600)
	}
}

// pct formats part of whole as a percentage with one decimal.
func pct(part, whole int64) string {
	if whole == 0 {
		return ""
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 1, 64) + "%"
}

// outcomes returns the keys of the given maps, the known outcomes first in
// outcomeOrder, then the others sorted.
func outcomes(maps ...map[string]int64) []string {
	seen := map[string]bool{}
	var extra []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] && !slices.Contains(outcomeOrder, k) {
				extra = append(extra, k)
			}
			seen[k] = true
		}
	}
	slices.Sort(extra)
	var out []string
	for _, k := range outcomeOrder {
		if seen[k] {
			out = append(out, k)
		}
	}
	return append(out, extra...)
}
