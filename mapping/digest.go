package mapping

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// FieldDigests is a compact, canonical fingerprint of a User's synced
// fields, for change detection in a nightly sync (UpdateUser): store it per
// user, and later [ChangedFields] tells which fields changed without any
// value having been stored. It covers every mapped, non-secret field:
// UserName, Email, PhoneNumber, Nickname, Address, UserGroup, UserOrg,
// Birthdate, IndexedAttribute1-5 and each custom attribute (with its type);
// never Key, Password, PasswordHash or its salt, and so no generated value.
// The fields a sync can compare are those UpdateUser can send: the
// ImportUser-only fields (WechatOpenId ... WeComUserId, Gender, Name,
// Description, Locale, Job, Nationality, Zone, ResidentIdentityCard and
// identity verification) are left out, since UpdateUser has none of them:
// a change to one of them alone is no change a sync could make, and
// reporting it as updated would be false.
// Empty fields are left out. Lists count as sets (order and duplicates do
// not matter).
//
// Encoding (version 1): a version byte 1, then per non-empty field in
// canonical order a field code (1-13 for the fixed fields in the order
// above; 255 for an attribute, followed by the uvarint length of its name
// and the name), then the first 8 bytes of SHA-256 over the field name and
// its canonical value, big-endian. A typical user takes 50-100 bytes.
type FieldDigests []byte

// digestVersion is the first byte of every FieldDigests.
const digestVersion = 1

// attributeCode marks a custom attribute entry.
const attributeCode = 255

// ErrBadDigests means a FieldDigests is not in the encoding above.
var ErrBadDigests = errors.New("malformed field digests")

// digestFields names the fixed field codes: digestFields[c-1] has code c.
var digestFields = []string{"UserName", "Email", "PhoneNumber", "Nickname", "Address", "UserGroup", "UserOrg",
	"Birthdate", "IndexedAttribute1", "IndexedAttribute2", "IndexedAttribute3", "IndexedAttribute4", "IndexedAttribute5"}

// FieldDigests returns the fingerprint of u's synced fields.
func (u *User) FieldDigests() FieldDigests {
	out := FieldDigests{digestVersion}
	for i, v := range u.fixedValues() {
		if v != nil {
			out = append(out, byte(i+1))
			out = binary.BigEndian.AppendUint64(out, fieldDigest(digestFields[i], v))
		}
	}
	attrs := slices.Clone(u.CustomizationAttributes)
	slices.SortStableFunc(attrs, func(a, b Attribute) int { return cmp.Compare(a.Name, b.Name) })
	for _, a := range attrs {
		out = append(out, attributeCode)
		out = binary.AppendUvarint(out, uint64(len(a.Name)))
		out = append(out, a.Name...)
		out = binary.BigEndian.AppendUint64(out, fieldDigest(attributeKey(a.Name), [][]byte{[]byte(a.Type), []byte(a.Value)}))
	}
	return out
}

// Digest returns a stable digest (32 hex digits) of u's synced fields: equal
// digests mean no synced field changed. It is derived from FieldDigests.
func (u *User) Digest() string {
	sum := sha256.Sum256(u.FieldDigests())
	return hex.EncodeToString(sum[:16])
}

// fixedValues returns the canonical value parts of each fixed field, nil
// for an empty one.
func (u *User) fixedValues() [][][]byte {
	vals := [][][]byte{textValue(u.UserName), textValue(u.Email), textValue(u.PhoneNumber), textValue(u.Nickname),
		textValue(u.Address), setValue(u.UserGroup), setValue(u.UserOrg), nil}
	if u.Birthdate != nil {
		vals[7] = [][]byte{strconv.AppendInt(nil, *u.Birthdate, 10)}
	}
	for _, a := range u.IndexedAttributes {
		vals = append(vals, textValue(a))
	}
	return vals
}

// textValue is the canonical value of a text field.
func textValue(s string) [][]byte {
	if s == "" {
		return nil
	}
	return [][]byte{[]byte(s)}
}

// setValue is the canonical value of a list field: sorted, without
// duplicates.
func setValue(l []string) [][]byte {
	if len(l) == 0 {
		return nil
	}
	s := slices.Clone(l)
	slices.Sort(s)
	s = slices.Compact(s)
	out := make([][]byte, len(s))
	for i, e := range s {
		out[i] = []byte(e)
	}
	return out
}

// fieldDigest hashes a field name and its value parts, each length-prefixed.
func fieldDigest(name string, parts [][]byte) uint64 {
	buf := binary.AppendUvarint([]byte("ciam-import/field/v1\x00"), uint64(len(name)))
	buf = append(buf, name...)
	for _, p := range parts {
		buf = binary.AppendUvarint(buf, uint64(len(p)))
		buf = append(buf, p...)
	}
	sum := sha256.Sum256(buf)
	return binary.BigEndian.Uint64(sum[:8])
}

// attributeKey names an attribute as FieldError does.
func attributeKey(name string) string { return attributesKey + "[" + name + "]" }

// Fields decodes d into field name -> digest, attributes named
// "CustomizationAttributes[name]". It fails with ErrBadDigests.
func (d FieldDigests) Fields() (map[string]uint64, error) {
	if len(d) == 0 || d[0] != digestVersion {
		return nil, fmt.Errorf("decode field digests: %w: unknown version", ErrBadDigests)
	}
	out := map[string]uint64{}
	for rest := d[1:]; len(rest) > 0; {
		name, n, err := digestName(rest)
		if err != nil || len(rest) < n+8 {
			return nil, fmt.Errorf("decode field digests: %w: truncated or unknown field", ErrBadDigests)
		}
		out[name] = binary.BigEndian.Uint64(rest[n:])
		rest = rest[n+8:]
	}
	return out, nil
}

// digestName decodes the field code (and attribute name) at the start of b
// and returns the name and the bytes it took.
func digestName(b []byte) (string, int, error) {
	code := int(b[0])
	if code >= 1 && code <= len(digestFields) {
		return digestFields[code-1], 1, nil
	}
	if code != attributeCode {
		return "", 0, ErrBadDigests
	}
	l, n := binary.Uvarint(b[1:])
	if n <= 0 || uint64(len(b)-1-n) < l {
		return "", 0, ErrBadDigests
	}
	return attributeKey(string(b[1+n : 1+n+int(l)])), 1 + n + int(l), nil
}

// ChangedFields returns, sorted, the names of the fields whose digest
// differs between old and new, including fields present in only one of
// them (set or cleared). Attributes are named "CustomizationAttributes[name]".
// An error (ErrBadDigests) means one of them is malformed: treat every
// field as changed.
func ChangedFields(old, new FieldDigests) ([]string, error) {
	a, err := old.Fields()
	if err != nil {
		return nil, err
	}
	b, err := new.Fields()
	if err != nil {
		return nil, err
	}
	var out []string
	for name, v := range a {
		if w, ok := b[name]; !ok || w != v {
			out = append(out, name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Encode is how a settle entry carries the digests (state.Entry.Digest).
func (d FieldDigests) Encode() string { return base64.RawStdEncoding.EncodeToString(d) }

// DecodeFieldDigests reads what Encode wrote; nil when s is empty or
// malformed (the user then counts as changed once).
func DecodeFieldDigests(s string) FieldDigests {
	if s == "" {
		return nil
	}
	d, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil
	}
	return d
}
