package mapping

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// topKeys are the keys allowed at the top of a mapping file.
var topKeys = []string{"version", "key", "fields"}

// noAliases rejects anchors, aliases and merge keys, which would make error
// positions ambiguous and allow exponential expansion.
func (d *decoder) noAliases(n *yaml.Node) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" || n.ShortTag() == "!!merge" {
		d.errs = append(d.errs, &SpecError{File: d.file, Line: n.Line, Column: n.Column,
			Msg: "YAML anchors, aliases and merge keys are not supported"})
		return
	}
	for _, c := range n.Content {
		d.noAliases(c)
	}
}

// spec decodes the top-level mapping.
func (d *decoder) spec(n *yaml.Node) *Spec {
	s := &Spec{}
	entries, ok := d.mapping(n, "", topKeys)
	if !ok {
		return s
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.key] = true
		switch e.key {
		case "version":
			d.version(e.val)
		case "key":
			s.key = d.keyField(e.val)
		case "fields":
			d.fields(e.val, s)
		}
	}
	for _, k := range topKeys {
		if !seen[k] && !d.suggested[k] {
			d.failf(n, k, "is required%s", topHint[k])
		}
	}
	return s
}

// topHint completes "is required" messages for missing top-level keys.
var topHint = map[string]string{
	"version": " (write version: 1)",
	"key":     ": name the source field that identifies each row, e.g. key: legacy_id",
	"fields":  ": map at least UserName, Email, PhoneNumber and Password",
}

// version accepts version: 1.
func (d *decoder) version(n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || n.Value != "1" {
		d.failf(n, "version", "unsupported version; this program reads version: 1")
	}
}

// keyField decodes the key setting.
func (d *decoder) keyField(n *yaml.Node) path {
	s, ok := d.text(n, "key")
	if !ok {
		return path{}
	}
	p := newPath(s)
	if !p.valid() {
		d.failf(n, "key", "is not a valid field path")
	}
	d.ref(p.full, "key", n)
	return p
}

// fields decodes the fields mapping in target order.
func (d *decoder) fields(n *yaml.Node, s *Spec) {
	entries, ok := d.mapping(n, "fields", targetNames())
	if !ok {
		return
	}
	byName := map[string]*rule{}
	for _, e := range entries {
		switch e.key {
		case attributesKey:
			s.attrs = d.attributes(e.val)
			continue
		case passwordHashKey:
			s.pwHash, byName[e.key] = d.passwordHash(e.val), nil
			continue
		}
		t, _ := findTarget(e.key)
		r, gen := d.rule(e.val, "fields."+e.key, t)
		s.generate = s.generate || gen
		byName[e.key] = r // nil for generate: true or a broken rule
	}
	d.bind(n, s, byName)
}

// bind orders the rules like targets and checks required parameters.
// A missing parameter is not reported when an unknown key of fields was
// taken to mean it (a misspelt parameter). Password is optional when
// PasswordHash is mapped; it then keeps its place (with a nil rule for
// generate: true), so Map checks that each row has one or the other.
//
// Which parameters are required depends on the paths rows can take: a
// row through CreateUser needs UserName, Email and PhoneNumber; a row
// through the import job one of the nine identifiers. When some rows may
// take either path, the three are checked per row by Map ([Spec.checkRoute]).
// ImportUser-only parameters are refused when every row goes through
// CreateUser.
func (d *decoder) bind(n *yaml.Node, s *Spec, byName map[string]*rule) {
	_, hashed := byName[passwordHashKey]
	_, plain := byName["Password"]
	s.plaintextEnum = d.plaintextEnum
	job := hashed || s.plaintextEnum != ""                // some rows may go through the import job
	create := s.plaintextEnum == "" && (plain || !hashed) // some rows may go through CreateUser
	for i := range targets {
		t := &targets[i]
		r, ok := byName[t.name]
		switch {
		case t.password && (ok || hashed):
			s.fields = append(s.fields, fieldRule{t: t, r: r})
			s.bindPassword(r)
		case !ok && t.required && (create || t.password) && !d.suggested["fields."+t.name]:
			d.failf(n, "fields."+t.name, "is required by CreateUser; map it with from, const or template%s", generateHint(t))
		case ok && t.importOnly && !job:
			d.failf(n, "fields."+t.name, "CreateUser has no %s, and every row of this mapping goes through CreateUser (no PasswordHash is mapped): "+
				"map a PasswordHash, route plaintext rows through the import job (ciam-import --plaintext-via-import-job), or remove %s", t.name, t.name)
		case r != nil:
			if t.identifier && job {
				r.required = false // checked per row, by the row's path
			}
			s.fields = append(s.fields, fieldRule{t: t, r: r})
		}
	}
	if job && !create && !anyIdentifier(byName) && !d.suggestedAny("fields", identifierNames()...) {
		d.failf(n, "fields", "map at least one of %s: CreateApiImportUserJob needs one of them on every row", list(identifierNames()))
	}
	s.legacy = legacyAttribute(s)
}

// identifierNames lists the nine identifiers of ImportUser, in target order.
func identifierNames() []string {
	var out []string
	for _, t := range targets {
		if t.identifier {
			out = append(out, t.name)
		}
	}
	return out
}

// anyIdentifier reports whether byName maps one of the nine identifiers.
func anyIdentifier(byName map[string]*rule) bool {
	for _, name := range identifierNames() {
		if _, ok := byName[name]; ok {
			return true
		}
	}
	return false
}

// bindPassword records update: true, and makes an empty Password fall back
// to "neither a password nor a hash" when PasswordHash is mapped.
func (s *Spec) bindPassword(r *rule) {
	if r == nil {
		return
	}
	s.updatePassword = r.update
	if s.pwHash != nil {
		r.required = false
	}
}

// generateHint mentions generate: true where it is allowed.
func generateHint(t *target) string {
	if t.password {
		return ", or generate: true"
	}
	return ""
}

// legacyAttribute finds IndexedAttributeN mapped straight from the key field
// and makes it trim like the key does.
func legacyAttribute(s *Spec) int {
	for _, f := range s.fields {
		var n int
		if _, err := fmt.Sscanf(f.t.name, "IndexedAttribute%d", &n); err != nil || !plainCopy(f.r, s.key) {
			continue
		}
		if len(f.r.steps) == 0 {
			f.r.steps = []step{trimStep{}}
		}
		return n
	}
	return 0
}

// plainCopy reports whether r copies the field at key unchanged but for
// trimming.
func plainCopy(r *rule, key path) bool {
	src, ok := r.src.(fromSource)
	if !ok || src.p.full != key.full || key.full == "" || r.lookup != nil || r.phone != nil {
		return false
	}
	for _, st := range r.steps {
		if _, ok := st.(trimStep); !ok {
			return false
		}
	}
	return true
}
