package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Ledger remembers the legacy keys imported by every run that shares it, so
// that a nightly import of a full export skips the users an earlier day
// created without spending a request on them. It is a bbolt B+tree file: 10
// million keys take about 1 GiB of disk and stay out of the Go heap (the
// file is memory-mapped; its pages are cache the kernel can reclaim).
//
// Keys are recorded at each checkpoint once the journal entries that settled
// them are durable, and before the snapshot that stops replaying those
// entries: a crash can neither invent a key nor forget one (a key flushed
// twice keeps its first date).
type Ledger struct {
	db      *bolt.DB
	pending []ledgerEntry
}

type ledgerEntry struct{ key, userID string }

var ledgerBucket = []byte("imported")

// ErrLedgerBusy means another run has the ledger open.
var ErrLedgerBusy = errors.New("the ledger is in use by another run")

// OpenLedger opens or creates the ledger at path (0600).
func OpenLedger(path string) (*Ledger, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open ledger %s: %w", path, ErrLedgerBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(ledgerBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	return &Ledger{db: db}, nil
}

// Lookup returns the UserId and import time recorded for key.
func (l *Ledger) Lookup(key string) (userID string, at time.Time, ok bool, err error) {
	err = l.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(ledgerBucket).Get([]byte(key))
		if v == nil {
			return nil
		}
		userID, at, ok = decodeLedgerValue(string(v))
		return nil
	})
	return userID, at, ok, err
}

// Add queues key for the next Flush.
func (l *Ledger) Add(key, userID string) {
	l.pending = append(l.pending, ledgerEntry{key, userID})
}

// Flush writes the queued keys in one durable transaction.
func (l *Ledger) Flush(now time.Time) error {
	if len(l.pending) == 0 {
		return nil
	}
	val := "|" + strconv.FormatInt(now.Unix(), 10)
	err := l.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(ledgerBucket)
		for _, e := range l.pending {
			if b.Get([]byte(e.key)) != nil {
				continue // keep the first import's date
			}
			if err := b.Put([]byte(e.key), []byte(e.userID+val)); err != nil {
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

// Close closes the ledger; queued keys not flushed are dropped.
func (l *Ledger) Close() error { return l.db.Close() }

func decodeLedgerValue(v string) (string, time.Time, bool) {
	uid, ts, ok := strings.Cut(v, "|")
	if !ok {
		return "", time.Time{}, false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	return uid, time.Unix(sec, 0), err == nil
}
