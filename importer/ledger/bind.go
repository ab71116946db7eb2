package ledger

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// Binding is what a run opens a ledger for: the user store whose users the
// ledger's keys name, and the source whose legacy keys the run reads and
// writes.
//
// A ledger records the user store it was first written for (bucket "meta")
// and refuses any other (*StoreMismatchError): its users do not exist in
// another store, so skipping or updating by it there would lose rows or
// touch strangers. Keys are namespaced by Source (bucket "sources", one
// bucket per source): two sources sharing one ledger never see each
// other's keys, so one source's key can neither skip nor update a row of
// the other.
type Binding struct {
	UserStoreID string
	// Source names the source's space of legacy keys: --source-name, or
	// DefaultSource. It must stay the same from night to night.
	Source string
}

// maxSourceLen bounds a source name.
const maxSourceLen = 200

// ErrSourceName means a source name is empty, too long or holds control
// characters.
var ErrSourceName = errors.New("bad source name")

// DefaultSource is the source name of a mapping without --source-name:
// its key field and the indexed attribute that stores the legacy id, e.g.
// "key=legacy_id;legacy=IndexedAttribute1" ("legacy=none" when the
// mapping stores no legacy id). Both are what a legacy key means and stay
// the same across nightly re-exports; the input's path and content change
// every night, and the mapping's hash with every edit, so neither is part
// of it. Two sources with the same key field and legacy attribute get the
// same name: give them --source-name (and, for the proof before an update,
// different legacy-id attributes).
func DefaultSource(keyField string, legacyAttr int) string {
	legacy := "none"
	if legacyAttr > 0 {
		legacy = "IndexedAttribute" + strconv.Itoa(legacyAttr)
	}
	return "key=" + keyField + ";legacy=" + legacy
}

// CheckSource returns an error matching ErrSourceName when name cannot
// name a source.
func CheckSource(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: empty", ErrSourceName)
	case len(name) > maxSourceLen:
		return fmt.Errorf("%w: longer than %d bytes", ErrSourceName, maxSourceLen)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("%w: holds a control character", ErrSourceName)
	}
	return nil
}

// StoreMismatchError means the ledger was written for another user store.
type StoreMismatchError struct {
	Path   string
	Ledger string // the user store the ledger records
	Run    string // the user store of this run
}

func (e *StoreMismatchError) Error() string {
	return fmt.Sprintf("open ledger %s: it records the users of user store %s, and this run imports into %s: nothing was sent; "+
		"give each user store its own ledger file (--ledger NEW-FILE starts an empty one), or run against user store %s",
		e.Path, e.Ledger, e.Run, e.Ledger)
}

var (
	metaBucket    = []byte("meta")
	sourcesBucket = []byte("sources")
	metaStore     = []byte("user_store")
	// metaAdopted names the source that adopted the keys of a ledger
	// written before bindings: they stay in ledgerBucket, its bucket.
	metaAdopted = []byte("adopted_by")
)

// bind checks b against the ledger's metadata, writing it on first use,
// and returns the path of b.Source's bucket. adopted is true when this
// call adopted a ledger of the previous version (keys, no metadata).
func bind(tx *bolt.Tx, path string, b Binding) (bucket [][]byte, adopted bool, err error) {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		if meta, err = tx.CreateBucket(metaBucket); err != nil {
			return nil, false, err
		}
		if err := meta.Put(metaStore, []byte(b.UserStoreID)); err != nil {
			return nil, false, err
		}
		if old := tx.Bucket(ledgerBucket); old != nil {
			if k, _ := old.Cursor().First(); k != nil {
				adopted = true
				if err := meta.Put(metaAdopted, []byte(b.Source)); err != nil {
					return nil, false, err
				}
			}
		}
	}
	if store := string(meta.Get(metaStore)); store != b.UserStoreID {
		return nil, false, &StoreMismatchError{Path: path, Ledger: store, Run: b.UserStoreID}
	}
	if string(meta.Get(metaAdopted)) == b.Source {
		return [][]byte{ledgerBucket}, adopted, nil
	}
	src, err := tx.CreateBucketIfNotExists(sourcesBucket)
	if err == nil {
		_, err = src.CreateBucketIfNotExists([]byte(b.Source))
	}
	return [][]byte{sourcesBucket, []byte(b.Source)}, adopted, err
}

// keys returns the bucket of the ledger's source in tx.
func (l *Ledger) keys(tx *bolt.Tx) *bolt.Bucket {
	b := tx.Bucket(l.bucket[0])
	for _, name := range l.bucket[1:] {
		if b == nil {
			return nil
		}
		b = b.Bucket(name)
	}
	return b
}
