package verify

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// errSlow says the fast decoder does not handle a line: decodeJSON does.
var errSlow = errors.New("not a plain line")

// maxDepth bounds the nesting the fast decoder skips.
const maxDepth = 64

// decodeHeld reads one export line as encoding/json would decode it into
// heldJSON (keys matched ignoring case, the last of a repeated key wins,
// null leaves a string empty). Plain lines are scanned without reflection
// and their strings are views of line; anything unusual (an escaped
// string, a type mismatch, bad JSON) goes to encoding/json, so the answer
// and the error are always its.
func decodeHeld(line string) (held, error) {
	d := decoder{s: line}
	if h, err := d.object(); err == nil {
		return h, nil
	}
	return decodeJSON(line)
}

// decoder scans one line.
type decoder struct {
	s string
	i int
	// A repeated UserGroups or CustomAttributes decodes into the
	// elements of the first with encoding/json: that is left to it.
	seenGroups, seenAttrs bool
}

func (d *decoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// eat consumes c after white space.
func (d *decoder) eat(c byte) bool {
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// peek is the next byte after white space, 0 at the end.
func (d *decoder) peek() byte {
	d.ws()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// object reads the whole line: one object, then only white space.
func (d *decoder) object() (held, error) {
	var h held
	err := d.members(func(key string) error { return d.field(&h, key) })
	if err != nil {
		return h, err
	}
	if d.ws(); d.i != len(d.s) {
		return h, errSlow
	}
	return h, nil
}

// members reads an object, calling fn at each member's value.
func (d *decoder) members(fn func(key string) error) error {
	if !d.eat('{') {
		return errSlow
	}
	if d.eat('}') {
		return nil
	}
	for {
		if d.peek() != '"' {
			return errSlow
		}
		key, err := d.str()
		if err != nil || !d.eat(':') {
			return errSlow
		}
		d.ws()
		if err := fn(key); err != nil {
			return err
		}
		if d.eat('}') {
			return nil
		}
		if !d.eat(',') {
			return errSlow
		}
	}
}

// field reads the value of key into h, or skips it.
func (d *decoder) field(h *held, key string) error {
	switch {
	case strings.EqualFold(key, "UserId"):
		return d.optString(&h.id, false)
	case strings.EqualFold(key, "Birthdate"):
		return d.birthdate(h)
	case strings.EqualFold(key, "UserGroups"):
		return d.groups(h)
	case strings.EqualFold(key, "CustomAttributes"):
		return d.attrs(h)
	}
	for i, k := range heldStrKeys {
		if strings.EqualFold(key, k) {
			return d.optString(&h.str[i], true)
		}
	}
	return d.skip(0)
}

// optString reads a string or null; null empties *dst when nullClears
// (a *string field), and leaves it otherwise (a string field).
func (d *decoder) optString(dst *string, nullClears bool) error {
	if d.literal("null") {
		if nullClears {
			*dst = ""
		}
		return nil
	}
	if d.peek() != '"' {
		return errSlow
	}
	s, err := d.str()
	if err != nil {
		return err
	}
	*dst = s
	return nil
}

func (d *decoder) birthdate(h *held) error {
	if d.literal("null") {
		h.birth, h.hasBirth = 0, false
		return nil
	}
	tok, err := d.number()
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(tok, 10, 64)
	if err != nil {
		return errSlow
	}
	h.birth, h.hasBirth = n, true
	return nil
}

func (d *decoder) groups(h *held) error {
	if d.seenGroups {
		return errSlow
	}
	d.seenGroups = true
	if d.literal("null") {
		h.groups = nil
		return nil
	}
	h.groups = []string{}
	return d.elements(func() error {
		var s string
		if err := d.optString(&s, false); err != nil {
			return err
		}
		h.groups = append(h.groups, s)
		return nil
	})
}

func (d *decoder) attrs(h *held) error {
	if d.seenAttrs {
		return errSlow
	}
	d.seenAttrs = true
	if d.literal("null") {
		h.attrs = nil
		return nil
	}
	h.attrs = []ciam.MemberMap{}
	return d.elements(func() error {
		var m ciam.MemberMap
		if !d.literal("null") {
			err := d.members(func(key string) error {
				switch {
				case strings.EqualFold(key, "Name"):
					return d.optString(&m.Name, false)
				case strings.EqualFold(key, "Value"):
					return d.optString(&m.Value, false)
				case strings.EqualFold(key, "Type"):
					return d.optString(&m.Type, false)
				}
				return d.skip(0)
			})
			if err != nil {
				return err
			}
		}
		h.attrs = append(h.attrs, m)
		return nil
	})
}

// elements reads an array, calling fn at each element.
func (d *decoder) elements(fn func() error) error {
	if !d.eat('[') {
		return errSlow
	}
	if d.eat(']') {
		return nil
	}
	for {
		d.ws()
		if err := fn(); err != nil {
			return err
		}
		if d.eat(']') {
			return nil
		}
		if !d.eat(',') {
			return errSlow
		}
	}
}

// skip reads any value.
func (d *decoder) skip(depth int) error {
	if depth > maxDepth {
		return errSlow
	}
	switch c := d.peek(); {
	case c == '{':
		return d.members(func(string) error { return d.skip(depth + 1) })
	case c == '[':
		return d.elements(func() error { return d.skip(depth + 1) })
	case c == '"':
		_, err := d.str()
		return err
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := d.number()
		return err
	case d.literal("null"), d.literal("true"), d.literal("false"):
		return nil
	}
	return errSlow
}

// literal consumes word if it is next.
func (d *decoder) literal(word string) bool {
	if strings.HasPrefix(d.s[d.i:], word) {
		d.i += len(word)
		return true
	}
	return false
}

// str reads a string without escapes of valid UTF-8 and returns its
// content as a view of the line.
func (d *decoder) str() (string, error) {
	start := d.i + 1
	ascii := true
	for j := start; j < len(d.s); j++ {
		switch c := d.s[j]; {
		case c == '"':
			d.i = j + 1
			if s := d.s[start:j]; ascii || utf8.ValidString(s) {
				return s, nil
			}
			return "", errSlow
		case c == '\\' || c < 0x20:
			return "", errSlow
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", errSlow
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) number() (string, error) {
	s, start := d.s, d.i
	j := start
	digits := func() int {
		n := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
			n++
		}
		return n
	}
	if j < len(s) && s[j] == '-' {
		j++
	}
	if j < len(s) && s[j] == '0' {
		j++
	} else if digits() == 0 {
		return "", errSlow
	}
	if j < len(s) && s[j] == '.' {
		j++
		if digits() == 0 {
			return "", errSlow
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if digits() == 0 {
			return "", errSlow
		}
	}
	d.i = j
	return s[start:j], nil
}
