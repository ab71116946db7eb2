package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// Ledger remembers, per legacy key, the CIAM user that every run sharing it
// imported and a fingerprint of the fields last synced to it
// (mapping.FieldDigests), so that a nightly run over a full export skips
// the users an earlier day created, and with --on-conflict update sends
// UpdateUser only for the rows whose mapped fields changed, without
// spending a request on the others. It is a bbolt B+tree file: about 150
// bytes per key with digests (10 million keys take about 2 GiB of disk)
// and none of the Go heap (the file is memory-mapped; its pages are cache
// the kernel can reclaim).
//
// Keys are recorded at each checkpoint once the journal entries that settled
// them are durable, and before the snapshot that stops replaying those
// entries: a crash can neither invent a key nor forget one, and a digest is
// only ever written for an update that settled (the settle entry carries
// it). A key recorded twice with the same digest keeps its dates.
type Ledger struct {
	db      *bolt.DB
	pending []queued
	bucket  [][]byte // the path of the source's bucket (see bind)
	// Adopted is true when Open adopted a ledger written before ledgers
	// were bound (keys, no metadata): its keys became the keys of the
	// binding's source, and it is bound to the binding's user store.
	Adopted bool
}

type queued struct {
	key, userID string
	digests     mapping.FieldDigests // nil: not known
}

// Record is what the ledger holds about one legacy key.
type Record struct {
	UserID   string
	Imported time.Time            // when the key was first recorded
	Synced   time.Time            // when Digests were recorded (Imported for entries without them)
	Digests  mapping.FieldDigests // nil for entries written before digests were kept: treat as changed
}

var ledgerBucket = []byte("imported")

// ledgerV2 starts a value in the binary format: the marker, uvarint length
// and bytes of the UserId, varint Unix seconds of Imported and of Synced,
// then the FieldDigests to the end (possibly none). The first format, still
// read, is the text "<UserId>|<Unix seconds>"; a UserId never starts with
// this byte.
const ledgerV2 = 0x02

// ErrBusy means another run has the ledger open.
var ErrBusy = errors.New("the ledger is in use by another run")

// Open opens or creates the ledger at path (0600) for b (see Binding): a
// ledger of another user store is refused with a *StoreMismatchError, a
// bad source name with an error matching ErrSourceName, both before
// anything is written. Like the files of
// a state directory, it is refused (an error matching state.ErrUnsafe) when
// another user could make the job read a ledger of theirs or write through
// one: path a symbolic link, not a regular file, owned by another user or
// writable by group or others, or in a directory that is (see
// state.CheckDir; a symbolic link to the directory is followed only when
// it is this user's or root's). A planted or swapped ledger would make a
// run skip rows it never imported, or, under ConflictUpdate, send a row's
// fields to a user that is not ours.
func Open(path string, b Binding) (*Ledger, error) {
	if err := CheckSource(b.Source); err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	if err := state.CheckDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("open ledger %s: directory: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second, OpenFile: state.OpenFile})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open ledger %s: %w", path, ErrBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	l := &Ledger{db: db}
	err = db.Update(func(tx *bolt.Tx) error {
		var err error
		l.bucket, l.Adopted, err = bind(tx, path, b)
		return err
	})
	var mismatch *StoreMismatchError
	if errors.As(err, &mismatch) {
		db.Close()
		return nil, err
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	return l, nil
}

// Get returns the record of key; ok is false when the ledger has none.
func (l *Ledger) Get(key string) (rec Record, ok bool, err error) {
	err = l.db.View(func(tx *bolt.Tx) error {
		v := l.keys(tx).Get([]byte(key))
		if v == nil {
			return nil
		}
		rec, ok = decodeLedgerValue(v)
		if !ok {
			return fmt.Errorf("read ledger: damaged record for a key")
		}
		return nil
	})
	return rec, ok, err
}

// Lookup returns the UserId and first import time recorded for key.
func (l *Ledger) Lookup(key string) (userID string, at time.Time, ok bool, err error) {
	rec, ok, err := l.Get(key)
	return rec.UserID, rec.Imported, ok, err
}

// Add queues key for the next Flush, without digests: a key already
// recorded keeps its record.
func (l *Ledger) Add(key, userID string) { l.AddDigests(key, userID, nil) }

// AddDigests queues key with the digests of the fields now synced to its
// user; Flush replaces a record whose digests differ.
func (l *Ledger) AddDigests(key, userID string, d mapping.FieldDigests) {
	l.pending = append(l.pending, queued{key, userID, d})
}

// Settled queues what a settle entry says about its user: a created or
// updated user, or any entry that carries a digest (a skipped row whose
// user was found, a row whose only change cannot be sent). Entries without
// a UserId, and rows the ledger itself skipped, add nothing.
func (l *Ledger) Settled(e state.Entry) {
	if e.UserID == "" || e.Op != state.OpSettle {
		return
	}
	if e.Digest == "" && e.Outcome != outcome.Created.Name && e.Outcome != outcome.Updated.Name {
		return
	}
	l.AddDigests(e.Key, e.UserID, mapping.DecodeFieldDigests(e.Digest))
}

// Flush writes the queued keys in one durable transaction.
func (l *Ledger) Flush(now time.Time) error {
	if len(l.pending) == 0 {
		return nil
	}
	err := l.db.Update(func(tx *bolt.Tx) error {
		b := l.keys(tx)
		for _, e := range l.pending {
			v, ok := merge(b.Get([]byte(e.key)), e, now)
			if !ok {
				continue
			}
			if err := b.Put([]byte(e.key), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	l.pending = l.pending[:0]
	return nil
}

// merge returns the value to store for e over the stored value old, or
// false to keep old: the first import's date stays, and Synced moves only
// when the digests change.
func merge(old []byte, e queued, now time.Time) ([]byte, bool) {
	rec := Record{UserID: e.userID, Imported: now, Synced: now, Digests: e.digests}
	if old != nil {
		prev, ok := decodeLedgerValue(old)
		switch {
		case !ok:
			// a damaged record is replaced
		case e.digests == nil || bytes.Equal(prev.Digests, e.digests) && prev.UserID == e.userID:
			return nil, false
		default:
			rec.Imported = prev.Imported
		}
	}
	return encodeLedgerValue(rec), true
}

// Close closes the ledger; queued keys not flushed are dropped.
func (l *Ledger) Close() error { return l.db.Close() }

func encodeLedgerValue(r Record) []byte {
	v := make([]byte, 0, 1+binary.MaxVarintLen64*3+len(r.UserID)+len(r.Digests))
	v = append(v, ledgerV2)
	v = binary.AppendUvarint(v, uint64(len(r.UserID)))
	v = append(v, r.UserID...)
	v = binary.AppendVarint(v, r.Imported.Unix())
	v = binary.AppendVarint(v, r.Synced.Unix())
	return append(v, r.Digests...)
}

func decodeLedgerValue(v []byte) (Record, bool) {
	if len(v) == 0 || v[0] != ledgerV2 {
		return decodeLedgerV1(string(v))
	}
	rest := v[1:]
	n, k := binary.Uvarint(rest)
	if k <= 0 || uint64(len(rest)-k) < n {
		return Record{}, false
	}
	rec := Record{UserID: string(rest[k : k+int(n)])}
	rest = rest[k+int(n):]
	imported, k := binary.Varint(rest)
	if k <= 0 {
		return Record{}, false
	}
	rest = rest[k:]
	synced, k := binary.Varint(rest)
	if k <= 0 {
		return Record{}, false
	}
	rec.Imported, rec.Synced = time.Unix(imported, 0), time.Unix(synced, 0)
	if rest = rest[k:]; len(rest) > 0 {
		rec.Digests = mapping.FieldDigests(bytes.Clone(rest)) // v is only valid inside the transaction
	}
	return rec, true
}

// decodeLedgerV1 reads the first format, "<UserId>|<Unix seconds>".
func decodeLedgerV1(v string) (Record, bool) {
	uid, ts, ok := strings.Cut(v, "|")
	if !ok {
		return Record{}, false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	at := time.Unix(sec, 0)
	return Record{UserID: uid, Imported: at, Synced: at}, err == nil
}
