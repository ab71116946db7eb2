package verify

import (
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/mapping"
)

// mapped is a row mapped, with its matching key and digest (computed on
// the workers).
type mapped struct {
	user   *mapping.User
	err    error
	key    string
	digest uint64
}

// match finds row m's user in the index and compares it: an entry of the
// same key with the same digest is the same; otherwise the first entry
// that sink.Ours calls the row's is read back and compared field by field.
// The entry matched is marked seen.
func (ix *index) match(m mapped) (Result, error) {
	r := Result{Key: m.user.Key, Verdict: Missing}
	if m.key == "" {
		return r, nil
	}
	first, ok := ix.byKey[hashKey(m.key)]
	if !ok {
		return r, nil
	}
	for i := first; i != noEntry; i = ix.entries[i].next {
		if ix.entries[i].digest == m.digest {
			ix.entries[i].seen = true
			r.Verdict, r.UserID = Same, ix.userID(i)
			return r, nil
		}
	}
	for i := first; i != noEntry; i = ix.entries[i].next {
		c, err := ix.lineAt(i)
		if err != nil {
			return r, err
		}
		if !sink.Ours(c, m.user, ix.legacyAttr) {
			continue
		}
		ix.entries[i].seen = true
		r.UserID = c.UserId
		r.Verdict, r.Fields = verdictOf(Compare(m.user, c))
		return r, nil
	}
	return r, nil
}

func verdictOf(diffs []Diff) (verdict, fields string) {
	if len(diffs) == 0 {
		return Same, ""
	}
	return Different, FieldNames(diffs)
}

// extras calls fn for every indexed user no row matched, in export order:
// with the legacy id mapped, users of this source that no row has.
func (ix *index) extras(fn func(Result) error) error {
	for i := range ix.entries {
		if ix.entries[i].seen {
			continue
		}
		c, err := ix.lineAt(int32(i))
		if err != nil {
			return err
		}
		if err := fn(Result{Key: keyOf(c, ix.legacyAttr), Verdict: Extra, UserID: c.UserId}); err != nil {
			return err
		}
	}
	return nil
}
