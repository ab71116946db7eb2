package mapping

import (
	"regexp"
)

// Execution errors of text/template may quote row values ("range can't
// iterate over <value>"), which can be secrets. templateReason keeps only
// what comes from the mapping (the action, such as <.pw>) and a message
// from a fixed list of value-free forms; anything else becomes "cannot be
// evaluated".

// execError splits "template: T:1:2: executing "T" at <ctx>: msg".
var execError = regexp.MustCompile(`(?s)^template: .*?: executing ".*?" at <(.{0,40}?)>: (.*)$`)

// safeMessages are value-free execution messages, kept as they are.
var safeMessages = regexp.MustCompile(`(?s)^(?:` +
	`map has no entry for key "[^"\n]*"|` +
	`can't evaluate field \S+ in type \S+|` +
	`nil pointer evaluating \S+|` +
	`wrong type for value; expected [^;\n]+; got \S+|` +
	`wrong number of args for \S+: want (?:at least )?\d+ got \d+|` +
	`exceeded maximum template depth \(\d+\)|` +
	`invalid value; expected \S+|` +
	`expected (?:bool|string|integer|unsigned integer|float|complex); found [^\n]*|` +
	`"[^"\n]*" is not a defined function|` +
	`template "[^"\n]*" not defined` +
	`)$`)

// valueMessages are messages quoting a value: the part kept, and the
// replacement for the rest.
var valueMessages = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?s)^range can't iterate over .*$`), "range can't iterate over this value"},
	{regexp.MustCompile(`(?s)^can't use .* iterate over more than one variable$`), "can't iterate over this value with two variables"},
	{regexp.MustCompile(`(?s)^if/with can't use .*$`), "if/with can't use this value"},
	{regexp.MustCompile(`(?s)^error calling (\w+): (?:incompatible types for comparison|invalid type for comparison|missing argument for comparison)$`), "error calling $1: cannot compare these values"},
	{regexp.MustCompile(`(?s)^error calling (\w+): .*$`), "error calling $1"},
}

// templateReason turns a template execution error into a row reason that
// never quotes a row value: "template failed at <.a>: message". secret
// withholds every message not in safeMessages, even a rewritten one.
func templateReason(err error, secret bool) string {
	if b := boundError(err); b != nil {
		return "template failed: " + b.Error()
	}
	m := execError.FindStringSubmatch(err.Error())
	if m == nil {
		return "template failed: cannot be evaluated"
	}
	at, msg := "template failed at <"+m[1]+">: ", m[2]
	if safeMessages.MatchString(msg) {
		return at + msg
	}
	if secret {
		return at + "cannot be evaluated (details withheld: the value is secret)"
	}
	for _, v := range valueMessages {
		if v.re.MatchString(msg) {
			return at + v.re.ReplaceAllString(msg, v.repl)
		}
	}
	return at + "cannot be evaluated"
}
