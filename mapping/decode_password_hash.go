package mapping

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// passwordHashKey is the fields key holding the legacy password hash.
const passwordHashKey = "PasswordHash"

// hashKeys are the keys allowed in the PasswordHash rule.
var hashKeys = []string{"from", "template", "transforms", "algorithm", "algorithm_from", "salt"}

// saltKeys are the keys allowed in PasswordHash.salt.
var saltKeys = []string{"from", "const", "template", "transforms", "position", "regex"}

// Pseudo-targets naming the parts of a hash in FieldErrors.
var (
	hashTarget      = target{name: passwordHashKey, secret: true}
	algorithmTarget = target{name: passwordHashKey + ".algorithm"}
	saltTarget      = target{name: passwordHashKey + ".salt", secret: true}
)

// passwordHash decodes fields.PasswordHash.
func (d *decoder) passwordHash(n *yaml.Node) *hashRule {
	const field = "fields." + passwordHashKey
	entries, ok := d.mapping(n, field, hashKeys)
	if !ok {
		return nil
	}
	h := &hashRule{}
	var rest []entry
	var algoKeys []entry
	var saltKey *yaml.Node
	for _, e := range entries {
		f := join(field, e.key)
		switch e.key {
		case "algorithm":
			h.algorithm, algoKeys = d.algorithm(e.val, f), append(algoKeys, e)
		case "algorithm_from":
			h.algoRule, _ = d.rule(e.val, f, &algorithmTarget)
			algoKeys = append(algoKeys, e)
		case "salt":
			h.salt, h.position, h.regex = d.salt(e.val, f)
			saltKey = e.knode
		default:
			rest = append(rest, e)
		}
	}
	d.hashChecks(n, field, h, algoKeys, saltKey)
	h.hash, _ = d.ruleFrom(rest, n, field, &hashTarget)
	return h
}

// hashChecks reports a missing or doubled algorithm and a salt on bcrypt.
func (d *decoder) hashChecks(n *yaml.Node, field string, h *hashRule, algoKeys []entry, saltKey *yaml.Node) {
	switch {
	case len(algoKeys) == 0 && !d.suggestedAny(field, "algorithm", "algorithm_from"):
		d.failf(n, field, "needs algorithm: md5, sha1 or bcrypt, or algorithm_from: <source field>")
	case len(algoKeys) > 1:
		d.failf(algoKeys[1].knode, field, "has both algorithm and algorithm_from; keep one")
	}
	if h.algorithm == HashBCRYPT && saltKey != nil {
		d.failf(saltKey, join(field, "salt"), "bcrypt hashes carry their own salt; remove salt")
	}
}

// algorithm decodes algorithm: md5 | sha1 | bcrypt (any case).
func (d *decoder) algorithm(n *yaml.Node, field string) string {
	s, ok := d.text(n, field)
	if !ok {
		return ""
	}
	algo, known := algorithmName(s)
	if !known {
		d.failf(n, field, "unknown algorithm %q%s; CIAM accepts %s", s, suggest(strings.ToLower(s), hashAlgorithms), list(hashAlgorithms))
	}
	return algo
}

// salt decodes salt: {from: ..., position: head|tail} or {from: ..., regex: "..."}.
func (d *decoder) salt(n *yaml.Node, field string) (r *rule, position, regex string) {
	entries, ok := d.mapping(n, field, saltKeys)
	if !ok {
		return nil, "", ""
	}
	var rest, where []entry
	for _, e := range entries {
		f := join(field, e.key)
		switch e.key {
		case "position":
			position, where = d.saltPosition(e.val, f), append(where, e)
		case "regex":
			if s, ok := d.text(e.val, f); ok {
				position, regex = SaltOther, s
			}
			where = append(where, e)
		default:
			rest = append(rest, e)
		}
	}
	switch {
	case len(where) == 0 && !d.suggestedAny(field, "position", "regex"):
		d.failf(n, field, "needs position: head or tail, or regex: \"...\" (CIAM's SaltLocationRule) for a salt elsewhere")
	case len(where) > 1:
		d.failf(where[1].knode, field, "has both position and regex; keep one")
	}
	r, _ = d.ruleFrom(rest, n, field, &saltTarget)
	return r, position, regex
}

// saltPosition decodes position: head | tail.
func (d *decoder) saltPosition(n *yaml.Node, field string) string {
	s, ok := d.text(n, field)
	if !ok {
		return ""
	}
	switch strings.ToLower(s) {
	case "head":
		return SaltHead
	case "tail":
		return SaltTail
	}
	d.failf(n, field, "must be head or tail; for a salt elsewhere write regex: \"...\" instead of position")
	return ""
}
