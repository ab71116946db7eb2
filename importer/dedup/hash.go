package dedup

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/cespare/xxhash/v2"

	"github.com/ciam-import/ciam-import/mapping"
)

// Kinds of identifiers, in the order Check compares them; the names are
// those the conflict report uses.
const (
	KindKey      = "legacy_key"
	KindUserName = "user_name"
	KindEmail    = "email"
	KindPhone    = "phone_number"
)

var kinds = [4]string{KindKey, KindUserName, KindEmail, KindPhone}

// record is one identifier held by one row: the identifier's hash, the
// row's line and a tag of the row's identity (source ID and legacy key).
// Hash 0 never occurs (hashes have their low bit set).
type record struct {
	h    uint64
	line uint32
	tag  uint32
}

const recordSize = 16

func (r record) put(b []byte) {
	binary.LittleEndian.PutUint64(b, r.h)
	binary.LittleEndian.PutUint32(b[8:], r.line)
	binary.LittleEndian.PutUint32(b[12:], r.tag)
}

func getRecord(b []byte) record {
	return record{h: binary.LittleEndian.Uint64(b), line: binary.LittleEndian.Uint32(b[8:]), tag: binary.LittleEndian.Uint32(b[12:])}
}

// hasher hashes identifiers with the table's salt, so that the hashes in
// the state directory and the journal are not those of any other table.
// The parts of an identifier are joined by NUL into buf and written at
// once (the same hash as writing them one by one).
type hasher struct {
	d   *xxhash.Digest
	buf *[]byte
}

func newHasher(salt uint64) hasher { return hasher{xxhash.NewWithSeed(salt), new([]byte)} }

func (x hasher) sum(seed uint64, parts ...string) uint64 {
	b := (*x.buf)[:0]
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	*x.buf = b
	x.d.ResetWithSeed(seed)
	_, _ = x.d.Write(b)
	return x.d.Sum64()
}

// identifiers returns the hashes of u's identifiers in kinds order; 0 for
// an empty one.
func (t *Table) identifiers(u *mapping.User) [4]uint64 {
	values := [4]string{u.Key, u.UserName, mapping.Lower(u.Email), u.PhoneNumber}
	var hs [4]uint64
	for i, v := range values {
		if v != "" {
			hs[i] = t.hash.sum(t.salt, kinds[i], v) | 1
		}
	}
	return hs
}

// rowTag is the tag of the row (id, key) in its records.
func (t *Table) rowTag(id, key string) uint32 { return uint32(t.hash.sum(^t.salt, id, key)) }

// recordLine is line as a record holds it.
func recordLine(line int64) uint32 { return uint32(min(max(line, 0), math.MaxUint32)) }

// encodeSeen is the Seen field of a settle entry: the hashes, 8 bytes each.
func encodeSeen(hs []uint64) string {
	if len(hs) == 0 {
		return ""
	}
	b := make([]byte, 0, 8*len(hs))
	for _, h := range hs {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	return base64.RawStdEncoding.EncodeToString(b)
}

func decodeSeen(s string) ([]uint64, error) {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b)%8 != 0 {
		return nil, fmt.Errorf("decode identifiers of a settle entry: malformed %q", s)
	}
	hs := make([]uint64, len(b)/8)
	for i := range hs {
		hs[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return hs, nil
}
