package sqlsrc

import "strings"

// render says how a column's text, as the server prints it, becomes a field.
type render int

const (
	asIs      render = iota // text, numbers, dates, uuid, json: unchanged
	asBool                  // PostgreSQL t/f -> true/false
	asLocal                 // timestamp without zone: the space becomes a T
	asInstant               // timestamp with zone, read in UTC: RFC 3339 with Z
	asBinary                // rejected at Open
)

// keyClass is how the key is compared; it is part of the cursor.
type keyClass string

const (
	keyInt  keyClass = "int"  // any integer type: numeric order
	keyText keyClass = "text" // character types: byte order of the UTF-8 text
	keyUUID keyClass = "uuid" // PostgreSQL uuid: byte order of the canonical text
)

// column is one result column as described at Open.
type column struct {
	name   string
	typ    string // database type name, for messages
	oid    uint32 // PostgreSQL type OID; 0 for MySQL
	render render
	key    keyClass // "" when the type cannot be a key
}

// renderValue turns the server's text for a column into the field value.
func renderValue(r render, s string) string {
	switch r {
	case asBool:
		switch s {
		case "t":
			return "true"
		case "f":
			return "false"
		}
	case asLocal:
		return isoTime(s, false)
	case asInstant:
		return isoTime(s, true)
	}
	return s
}

// isoTime rewrites "2006-01-02 15:04:05[.999999][+07[:00]]" as RFC 3339:
// a T between date and time, and for an instant the zone as Z or +07:00
// (no zone, as MySQL prints a TIMESTAMP in the UTC session, is Z). Values in
// another form (infinity, BC dates, MySQL's zero date) are left as they are,
// for the mapping to reject.
func isoTime(s string, instant bool) string {
	if len(s) < 19 || s[4] != '-' || s[10] != ' ' || s[13] != ':' || strings.HasSuffix(s, " BC") ||
		strings.HasPrefix(s, "0000-00-00") {
		return s
	}
	clock := s[11:]
	if !instant {
		return s[:10] + "T" + clock
	}
	zone := ""
	if i := strings.LastIndexAny(clock, "+-"); i > 0 {
		clock, zone = clock[:i], clock[i:]
	}
	switch {
	case zone == "" || zone == "+00" || zone == "+00:00":
		zone = "Z"
	case len(zone) == 3:
		zone += ":00"
	}
	return s[:10] + "T" + clock + zone
}

// compareKeys compares two key values of class c as the database orders
// them: integers numerically (both in canonical decimal), text and uuid by
// bytes.
func compareKeys(c keyClass, a, b string) int {
	if c != keyInt {
		return strings.Compare(a, b)
	}
	an, bn := strings.HasPrefix(a, "-"), strings.HasPrefix(b, "-")
	switch {
	case an && !bn:
		return -1
	case !an && bn:
		return 1
	case an:
		return compareDigits(b[1:], a[1:])
	}
	return compareDigits(a, b)
}

// compareDigits compares two unsigned decimal integers without leading zeros.
func compareDigits(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
