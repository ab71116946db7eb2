package verify

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// seed keys this process's hashes; the index is rebuilt by every run, so
// hashes never leave the process.
var seed = maphash.MakeSeed()

// digest hashes the comparable form c: equal digests mean Compare finds no
// difference (barring a 2^-64 collision). Custom attributes count when
// non-empty, in name order, so a CIAM user holding attributes the mapping
// does not send has another digest and is compared field by field.
func digest(c canon) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, v := range c.fixed {
		h.WriteString(v)
		h.WriteByte(0)
	}
	attrs := make([]ciam.MemberMap, 0, len(c.attrs))
	for _, a := range c.attrs {
		if a.Value != "" {
			attrs = append(attrs, a)
		}
	}
	slices.SortFunc(attrs, func(a, b ciam.MemberMap) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Value, b.Value))
	})
	for _, a := range attrs {
		h.WriteString(a.Name)
		h.WriteByte(0)
		h.WriteString(a.Value)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// keyOf is the matching key of a CIAM user: its legacy-id attribute (""
// when unset: not a user of this source), or, without one, user name,
// lower-cased email and phone number (the rule of sink.Ours).
func keyOf(c *ciam.User, legacyAttr int) string {
	if legacyAttr > 0 {
		return ciam.Indexed(c, legacyAttr)
	}
	return identity(ciam.Value(c.UserName), ciam.Value(c.Email), ciam.Value(c.PhoneNumber))
}

// rowKey is keyOf for a mapped row.
func rowKey(u *mapping.User, legacyAttr int) string {
	if legacyAttr > 0 {
		return u.Key
	}
	return identity(u.UserName, u.Email, u.PhoneNumber)
}

func identity(name, email, phone string) string {
	if name == "" && email == "" && phone == "" {
		return ""
	}
	return name + "\x00" + strings.ToLower(email) + "\x00" + phone
}

func hashKey(k string) uint64 { return maphash.String(seed, k) }
