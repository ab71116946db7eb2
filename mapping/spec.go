package mapping

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Spec is a parsed, checked mapping file. It is immutable and safe for
// concurrent use; Map may be called from many goroutines.
type Spec struct {
	file      string
	key       path
	fields    []fieldRule
	attrs     []attrRule
	generate  bool
	legacy    int
	hash      string
	refs      []sourceRef
	passwords *passwordGen
	pwHash    *hashRule
	// updatePassword is Password's update: true.
	updatePassword bool
	// plaintextEnum routes plaintext rows through the import job
	// (WithPlaintextViaImportJob); "" sends them to CreateUser.
	plaintextEnum string
}

// fieldRule binds a compiled rule to its CreateUser parameter.
type fieldRule struct {
	t *target
	r *rule
}

// attrRule is one CustomizationAttributes entry.
type attrRule struct {
	r    *rule
	name string
	typ  string
}

// Option configures Parse.
type Option func(*options)

// options collects the effect of Options.
type options struct {
	random        io.Reader
	header        []string
	plaintextEnum string
}

// WithPlaintextViaImportJob makes every row with a plaintext password go
// through CreateApiImportUserJob, its PasswordEncryptTypeEnum set to enum,
// instead of CreateUser. The reference says the import job takes
// plaintext but not the enum value that says so: enum is the operator's
// (ciam-import --plaintext-via-import-job). The mapping is then checked for
// the import job's rules only (one of nine identifiers), not CreateUser's.
// An empty enum changes nothing.
func WithPlaintextViaImportJob(enum string) Option {
	return func(o *options) { o.plaintextEnum = enum }
}

// WithHeader makes Parse also check every source field the mapping reads
// against a CSV header, as [Spec.CheckHeader] does, and report missing
// columns together with every other problem, in file order.
func WithHeader(header []string) Option {
	return func(o *options) { o.header = slices.Clone(header) }
}

// WithRandom sets the randomness source for generated passwords (default,
// and when r is nil: crypto/rand.Reader). Reads are serialised, so r need not
// be safe for concurrent use. Meant for deterministic tests.
func WithRandom(r io.Reader) Option {
	return func(o *options) {
		if r != nil {
			o.random = r
		}
	}
}

// ParseFile reads and parses the mapping file at path; errors name path.
func ParseFile(path string, opts ...Option) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	return Parse(path, data, opts...)
}

// Parse parses and checks a mapping file. name is used in error messages.
// Every problem found is reported as a *SpecError, all of them in one pass
// (but for YAML syntax errors, which stop the reading), sorted by position
// and joined with errors.Join (use errors.As, or Unwrap() []error, to get
// them).
func Parse(name string, data []byte, opts ...Option) (*Spec, error) {
	o := options{random: rand.Reader}
	for _, opt := range opts {
		opt(&o)
	}
	doc, err := document(name, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: name, plaintextEnum: o.plaintextEnum}
	d.noAliases(doc)
	s := d.spec(doc)
	s.file = name
	s.refs = d.refs
	if o.header != nil {
		d.errs = append(d.errs, s.headerErrors(o.header)...)
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.sorted()...)
	}
	s.hash = hashNode(doc)
	s.passwords = &passwordGen{r: o.random}
	return s, nil
}

// document returns the top node of the file's only YAML document.
func document(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root, extra yaml.Node
	if err := dec.Decode(&root); err == io.EOF || err == nil && len(root.Content) == 0 {
		return nil, &SpecError{File: name, Line: 1, Column: 1, Msg: "mapping file is empty"}
	} else if err != nil {
		return nil, yamlError(name, err)
	}
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &SpecError{File: name, Line: extra.Line, Column: extra.Column, Msg: "only one YAML document is allowed (remove the second ---)"}
	case err != io.EOF:
		return nil, yamlError(name, err)
	}
	return root.Content[0], nil
}

// yamlLine matches the position in yaml.v3 syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a *SpecError.
func yamlError(name string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &SpecError{File: name, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &SpecError{File: name, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// Hash returns the hex SHA-256 of the canonical mapping: the same mapping
// (ignoring comments, formatting and key order) always has the same hash.
func (s *Spec) Hash() string { return s.hash }

// KeyField returns the source field naming each row (the key setting).
func (s *Spec) KeyField() string { return s.key.full }

// LegacyIDAttribute returns N when IndexedAttributeN is mapped straight from
// the key field (from: <key>, at most a trim transform), so CIAM users can be
// found by legacy id; otherwise 0. The lowest such N wins.
func (s *Spec) LegacyIDAttribute() int { return s.legacy }

// GeneratesPassword reports whether Password is generate: true.
func (s *Spec) GeneratesPassword() bool { return s.generate }

// HasPasswordHash reports whether the mapping has a PasswordHash rule, so
// some rows may need CreateApiImportUserJob ([User.HasPasswordHash]).
func (s *Spec) HasPasswordHash() bool { return s.pwHash != nil }

// PlaintextViaImportJob returns the PasswordEncryptTypeEnum plaintext rows
// are imported with through the import job, or "" when they go through
// CreateUser ([WithPlaintextViaImportJob]).
func (s *Spec) PlaintextViaImportJob() string { return s.plaintextEnum }

// UpdatesPassword reports whether Password says update: true: a sync
// (UpdateUser) run should send the mapped password. The default, false,
// leaves passwords alone after creation. Never true with generate: true.
func (s *Spec) UpdatesPassword() bool { return s.updatePassword }
