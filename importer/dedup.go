package importer

import (
	"hash/maphash"
	"math"
	"strings"

	"github.com/ciam-import/ciam-import/mapping"
)

// dedupMaxSlots caps the duplicate table: 2^22 slots of 12 bytes, 48 MiB,
// hold the identifiers of about 900,000 rows. Memory stays flat on any
// input: past the cap, later rows are still checked against the rows held,
// but not added, and CIAM's AlreadyExists answer catches the rest.
const dedupMaxSlots = 1 << 22

const dedupMinSlots = 1 << 12

// dedup finds rows whose legacy key, user name, email or phone number an
// earlier row of the same input already holds, so the duplicate settles as a
// local conflict without spending quota. It is an open-addressing hash table
// of 64-bit identifier hashes and first lines, growing to dedupMaxSlots. It
// forgets across runs, where CIAM's own AlreadyExists answer takes over.
type dedup struct {
	seed   maphash.Seed
	keys   []uint64 // 0 is an empty slot; stored hashes have their low bit set
	lines  []uint32
	n      int
	max    int    // slots at most; dedupMaxSlots
	full   bool   // the cap was reached: rows are checked, no longer added
	onFull func() // called once when the cap is reached
}

func newDedup() *dedup {
	return &dedup{seed: maphash.MakeSeed(), keys: make([]uint64, dedupMinSlots), lines: make([]uint32, dedupMinSlots),
		max: dedupMaxSlots}
}

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
		if id.value == "" {
			continue
		}
		hashes[i] = maphash.String(d.seed, id.name+"\x00"+id.value) | 1
		if first, ok := d.lookup(hashes[i]); ok {
			return id.name, int64(first), true
		}
	}
	for _, h := range hashes {
		if h != 0 {
			d.insert(h, line)
		}
	}
	return "", 0, false
}

func (d *dedup) lookup(h uint64) (uint32, bool) {
	mask := uint64(len(d.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch d.keys[i] {
		case 0:
			return 0, false
		case h:
			return d.lines[i], true
		}
	}
}

func (d *dedup) insert(h uint64, line int64) {
	if (d.n+1)*8 > len(d.keys)*7 { // keep the load under 7/8
		if len(d.keys) >= d.max {
			if !d.full && d.onFull != nil {
				d.onFull()
			}
			d.full = true
			return
		}
		d.grow()
	}
	mask := uint64(len(d.keys) - 1)
	i := h & mask
	for d.keys[i] != 0 {
		if d.keys[i] == h {
			return
		}
		i = (i + 1) & mask
	}
	d.keys[i], d.lines[i] = h, uint32(min(line, math.MaxUint32))
	d.n++
}

func (d *dedup) grow() {
	keys, lines := d.keys, d.lines
	d.keys, d.lines, d.n = make([]uint64, 2*len(keys)), make([]uint32, 2*len(keys)), 0
	for i, k := range keys {
		if k != 0 {
			d.insert(k, int64(lines[i]))
		}
	}
}
