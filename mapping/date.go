package mapping

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// Special layout names; anything else is a Go time layout.
const (
	layoutUnix   = "unix"    // integer seconds since the epoch
	layoutUnixMS = "unix_ms" // integer milliseconds since the epoch
)

// namedLayouts are layout aliases for common Go layouts.
var namedLayouts = map[string]string{
	"rfc3339": time.RFC3339,
	"date":    time.DateOnly,
}

// Birthdates outside [minYear, maxYear] are rejected as implausible.
const (
	minYear = 1800
	maxYear = 2200
)

// dateRule parses dates into milliseconds since the epoch.
type dateRule struct {
	layouts []string       // tried in order
	loc     *time.Location // for layouts without a zone
	seconds bool           // JSON numbers are seconds, not milliseconds
}

// millis converts a JSON number: epoch milliseconds, or epoch seconds when a
// layout is "unix". done is false when v is not a number.
func (d *dateRule) millis(v any) (ms int64, reason string, done bool) {
	switch x := v.(type) {
	case json.Number:
		ms, reason = d.number(x.String())
	case float64:
		ms, reason = d.number(strconv.FormatFloat(x, 'f', -1, 64))
	case int:
		ms, reason = d.number(strconv.Itoa(x))
	case int64:
		ms, reason = d.number(strconv.FormatInt(x, 10))
	default:
		return 0, "", false
	}
	return ms, reason, true
}

// number interprets an epoch number.
func (d *dateRule) number(s string) (int64, string) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, "not a whole number"
	}
	if d.seconds {
		return checkYear(time.Unix(n, 0))
	}
	return checkYear(time.UnixMilli(n))
}

// parse converts text using the first layout that accepts it.
func (d *dateRule) parse(s string) (int64, string) {
	for _, layout := range d.layouts {
		if ms, ok := d.parseOne(s, layout); ok {
			return checkYear(time.UnixMilli(ms))
		}
	}
	return 0, "not a date in the expected layout"
}

// parseOne parses s with one layout.
func (d *dateRule) parseOne(s, layout string) (int64, bool) {
	switch layout {
	case layoutUnix, layoutUnixMS:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || layout == layoutUnix && (n > math.MaxInt64/1000 || n < math.MinInt64/1000) {
			return 0, false
		}
		if layout == layoutUnix {
			n *= 1000
		}
		return n, true
	}
	if layout == time.DateOnly {
		t, ok := parseDateOnly(s, d.loc)
		return t.UnixMilli(), ok
	}
	t, err := time.ParseInLocation(layout, s, d.loc)
	if err != nil {
		return 0, false
	}
	return t.UnixMilli(), true
}

// parseDateOnly is time.ParseInLocation(time.DateOnly, s, loc), the common
// layout of a birthdate, without the general layout machinery: four
// digits, two, two, joined by '-', the month and day in range
// (TestDateOnlyAsTimeParses).
func parseDateOnly(s string, loc *time.Location) (time.Time, bool) {
	if len(s) != len(time.DateOnly) || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, oky := decimal(s[0:4])
	m, okm := decimal(s[5:7])
	d, okd := decimal(s[8:10])
	if !oky || !okm || !okd || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), true
}

// decimal reads s, ASCII digits only.
func decimal(s string) (int, bool) {
	n := 0
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// daysIn is the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	if m == time.February && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
}

// formatDateOnly is t.Format(time.DateOnly) without the general layout
// machinery for years 0-9999; other years go through Format.
func formatDateOnly(t time.Time) string {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.Format(time.DateOnly)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

// checkYear rejects implausible dates.
func checkYear(t time.Time) (int64, string) {
	if y := t.UTC().Year(); y < minYear || y > maxYear {
		return 0, "date is out of range"
	}
	return t.UnixMilli(), ""
}

// layoutProblem explains why a Go layout cannot parse dates, or returns "".
// A usable layout round-trips a reference date with distinct year, month and
// day.
func layoutProblem(layout string) string {
	ref := time.Date(1987, time.November, 23, 13, 14, 15, 0, time.UTC)
	back, err := time.Parse(layout, ref.Format(layout))
	if err == nil && back.Year() == ref.Year() && back.Month() == ref.Month() && back.Day() == ref.Day() {
		return ""
	}
	if strings.ContainsAny(layout, "YyDdMm%") {
		return "not a Go layout; write the reference date Mon Jan 2 15:04:05 2006 in your format, e.g. 2006-01-02 or 02/01/2006"
	}
	return "missing a year, month or day (Go layout, e.g. 2006-01-02)"
}

// zone is the time zone a date is read in: the mapping's timezone, UTC
// without one.
func (d *dateRule) zone() *time.Location {
	if d == nil || d.loc == nil {
		return time.UTC
	}
	return d.loc
}
