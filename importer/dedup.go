package importer

import (
	"hash/maphash"
	"strings"

	"github.com/ciam-import/ciam-import/mapping"
)

// dedup finds rows whose legacy key, user name, email or phone number an
// earlier row of the same input already holds, so the duplicate settles as a
// local conflict without spending quota. It keeps a 64-bit hash and the first
// line per identifier (about 40 bytes each in memory); it forgets across
// runs, where CIAM's own AlreadyExists answer takes over.
type dedup struct {
	seed maphash.Seed
	seen map[uint64]int64
}

func newDedup() *dedup { return &dedup{seed: maphash.MakeSeed(), seen: map[uint64]int64{}} }

// identity is one identifier of a row, as dedup compares it.
type identity struct {
	name  string // report name: legacy_key, user_name, email, phone_number
	value string
}

func identities(u *mapping.User) [4]identity {
	return [4]identity{
		{"legacy_key", u.Key},
		{"user_name", u.UserName},
		{"email", strings.ToLower(u.Email)},
		{"phone_number", u.PhoneNumber},
	}
}

// check returns the first identifier of u already held by an earlier row, and
// that row's line. When there is none, it records u's identifiers at line.
func (d *dedup) check(u *mapping.User, line int64) (string, int64, bool) {
	ids := identities(u)
	var hashes [4]uint64
	for i, id := range ids {
		hashes[i] = maphash.String(d.seed, id.name+"\x00"+id.value)
		if first, ok := d.seen[hashes[i]]; ok && id.value != "" {
			return id.name, first, true
		}
	}
	for i, id := range ids {
		if id.value != "" {
			d.seen[hashes[i]] = line
		}
	}
	return "", 0, false
}
