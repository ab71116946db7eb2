package mapping

import (
	"math"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
)

// checkUserName rejects user names with white space or control characters.
func checkUserName(s string) string {
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsGraphic(r) {
			return "must not contain spaces or control characters"
		}
	}
	return ""
}

// checkEmail accepts a bare address (no display name, no comments, no quoted
// local part) whose domain has a dot.
func checkEmail(s string) string {
	const bad = "not a valid email address"
	if simpleEmail(s) {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return bad
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if !strings.Contains(domain, ".") || strings.ContainsAny(domain, "[]") || strings.HasSuffix(domain, ".") {
		return bad
	}
	return ""
}

// simpleEmail is a fast path accepting the common ASCII dot-atom form
// local@label.label; anything else goes through net/mail.
func simpleEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at > 64 {
		return false
	}
	return dotAtom(s[:at], isAtomChar) && dotAtom(s[at+1:], isLabelChar) &&
		strings.IndexByte(s[at+1:], '.') > 0
}

// dotAtom reports whether s is non-empty dot-separated runs of ok characters.
func dotAtom(s string, ok func(byte) bool) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && !ok(s[i]) {
			return false
		}
	}
	return true
}

// isAtomChar reports whether c is an RFC 5322 atext character.
func isAtomChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// isLabelChar reports whether c may appear in a DNS label.
func isLabelChar(c byte) bool { return isAlnum(c) || c == '-' }

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// attributeTypes lists the accepted CustomizationAttributes types and their
// value checks.
var attributeTypes = map[string]func(string) string{
	"STRING":  nil,
	"NUMBER":  checkNumber,
	"BOOLEAN": checkBoolean,
}

// checkNumber accepts a finite decimal number (no hex, no underscores).
func checkNumber(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(s, "xX_") {
		return "not a number"
	}
	return ""
}

// checkBoolean accepts exactly "true" or "false".
func checkBoolean(s string) string {
	if s != "true" && s != "false" {
		return `must be "true" or "false"`
	}
	return ""
}
