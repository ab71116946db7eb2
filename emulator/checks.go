package emulator

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// fields are the user attributes CreateUser, UpdateUser and an import job
// validate alike. Empty identities are not checked (CreateUser has already
// required them; UpdateUser and ImportUser may leave them out).
type fields struct {
	userName, phone, email string
	attrs                  []MemberMap
	rawAttrs               any // the decoded JSON of the attributes, to see nulls
	indexed                [5]string
	groups, orgs           []string
}

// checkFields runs, in order: the store's patterns, the custom attributes
// (their form, then whether the store defines them), the indexed attribute lengths, then group and org membership.
func (s *Server) checkFields(f fields) *apiError {
	if aerr := s.checkPatterns(f.userName, f.phone, f.email); aerr != nil {
		return aerr
	}
	if aerr := checkAttributes(f.attrs, f.rawAttrs); aerr != nil {
		return aerr
	}
	if aerr := s.cfg.Store.checkDefined(f.attrs); aerr != nil {
		return aerr
	}
	if aerr := checkIndexed(f.indexed); aerr != nil {
		return aerr
	}
	return s.checkMemberships(f.groups, f.orgs)
}

func (s *Server) checkPatterns(userName, phone, email string) *apiError {
	for _, f := range []struct {
		name, value string
		re          *regexp.Regexp
	}{
		{"UserName", userName, s.cfg.Patterns.UserName},
		{"PhoneNumber", phone, s.cfg.Patterns.PhoneNumber},
		{"Email", email, s.cfg.Patterns.Email},
	} {
		if f.value != "" && f.re != nil && !f.re.MatchString(f.value) {
			return errAttribute(f.name + " does not match the user store's pattern")
		}
	}
	return nil
}

// checkAttributes requires every custom attribute to be an object with a
// non-blank Name unique in the request, a Value, and Type absent or STRING
// (the only type ever documented).
func checkAttributes(attrs []MemberMap, raw any) *apiError {
	rawList, _ := raw.([]any)
	seen := map[string]bool{}
	for i, a := range attrs {
		at := fmt.Sprintf("CustomizationAttributes.%d", i)
		var obj map[string]any
		if i < len(rawList) {
			obj, _ = rawList[i].(map[string]any)
		}
		switch {
		case obj == nil:
			return errAttribute(at + " is null")
		case strings.TrimSpace(a.Name) == "":
			return errAttribute(at + ".Name is empty")
		case seen[a.Name]:
			return errAttribute(at + ".Name " + a.Name + " is repeated")
		case obj["Value"] == nil:
			return errAttribute(at + ".Value is missing")
		case a.Type != "" && a.Type != "STRING":
			return errAttribute(at + ".Type " + a.Type + " is not STRING")
		}
		seen[a.Name] = true
	}
	return nil
}

func errAttribute(detail string) *apiError {
	e := newError(CodeAttributeFormatError)
	e.en += " " + detail + "."
	e.zh += detail + "。"
	return e
}

func checkIndexed(values [5]string) *apiError {
	for _, v := range values {
		if utf8.RuneCountInString(v) > maxIndexedAttribute {
			return newError(CodeIndexedAttributeTooLong)
		}
	}
	return nil
}

// checkMemberships requires known user groups and, when orgs are
// configured, known orgs.
func (s *Server) checkMemberships(groups, orgs []string) *apiError {
	for _, g := range groups {
		if !s.knownGroup(g) {
			return newError(CodeUserGroupNotFound)
		}
	}
	for _, o := range orgs {
		if s.orgs != nil && !s.orgs[o] {
			return newError(CodeOrgNotFound)
		}
	}
	return nil
}
