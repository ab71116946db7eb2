package ledger

import (
	"bytes"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

func openTestLedger(t *testing.T) *Ledger {
	t.Helper()
	l, err := Open(filepath.Join(t.TempDir(), "ledger.db"), testBinding)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func testDigests(nick string) mapping.FieldDigests {
	u := mapping.User{Key: "K", UserName: "u", Email: "u@example.com", PhoneNumber: "+86-13800138000", Nickname: nick}
	return u.FieldDigests()
}

// A ledger written before digests were kept ("uid|unix") stays readable:
// its keys have no digests, so a sync treats them as changed once.
func TestLedgerReadsTheFirstFormat(t *testing.T) {
	l := openTestLedger(t)
	at := time.Date(2025, 1, 2, 3, 4, 0, 0, time.UTC)
	err := l.db.Update(func(tx *bolt.Tx) error {
		return l.keys(tx).Put([]byte("K1"), []byte("uid-1|"+strconv.FormatInt(at.Unix(), 10)))
	})
	if err != nil {
		t.Fatal(err)
	}
	rec, ok, err := l.Get("K1")
	if err != nil || !ok || rec.UserID != "uid-1" || !rec.Imported.Equal(at) || !rec.Synced.Equal(at) || rec.Digests != nil {
		t.Fatalf("Get = %+v, %v, %v", rec, ok, err)
	}
	// Recording digests over it keeps the import date and upgrades the value.
	now := at.Add(48 * time.Hour)
	l.AddDigests("K1", "uid-1", testDigests("a"))
	if err := l.Flush(now); err != nil {
		t.Fatal(err)
	}
	rec, _, _ = l.Get("K1")
	if !rec.Imported.Equal(at) || !rec.Synced.Equal(now) || !bytes.Equal(rec.Digests, testDigests("a")) {
		t.Errorf("after a sync: %+v", rec)
	}
	uid, first, ok, err := l.Lookup("K1")
	if uid != "uid-1" || !first.Equal(at) || !ok || err != nil {
		t.Errorf("Lookup = %s %v %v %v", uid, first, ok, err)
	}
}

func TestLedgerFlushDates(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2026, 5, n, 1, 30, 0, 0, time.UTC) }
	tests := []struct {
		name           string
		then           mapping.FieldDigests // second flush, on day 2; nil: Add without digests
		imported, sync time.Time
		digests        mapping.FieldDigests
	}{
		{"same digests keep both dates", testDigests("a"), day(1), day(1), testDigests("a")},
		{"new digests move the sync date", testDigests("b"), day(1), day(2), testDigests("b")},
		{"no digests keep the record", nil, day(1), day(1), testDigests("a")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := openTestLedger(t)
			l.AddDigests("K", "uid", testDigests("a"))
			if err := l.Flush(day(1)); err != nil {
				t.Fatal(err)
			}
			l.AddDigests("K", "uid", tt.then)
			if err := l.Flush(day(2)); err != nil {
				t.Fatal(err)
			}
			rec, ok, err := l.Get("K")
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			if !rec.Imported.Equal(tt.imported) || !rec.Synced.Equal(tt.sync) || !bytes.Equal(rec.Digests, tt.digests) {
				t.Errorf("record %+v; want imported %v, synced %v", rec, tt.imported, tt.sync)
			}
		})
	}
}

// Record takes what a settle entry says: created and updated users, entries
// carrying a digest; never the ledger's own skips, nor rows without a user.
func TestLedgerRecord(t *testing.T) {
	d := testDigests("a").Encode()
	tests := []struct {
		name   string
		e      state.Entry
		stored bool
		digest bool
	}{
		{"created with digest", state.Entry{Op: state.OpSettle, Key: "K", UserID: "u", Outcome: outcome.Created.Name, Digest: d}, true, true},
		{"created from an old journal", state.Entry{Op: state.OpSettle, Key: "K", UserID: "u", Outcome: outcome.Created.Name}, true, false},
		{"updated", state.Entry{Op: state.OpSettle, Key: "K", UserID: "u", Outcome: outcome.Updated.Name, Digest: d}, true, true},
		{"skipped, found by a lookup", state.Entry{Op: state.OpSettle, Key: "K", UserID: "u", Outcome: outcome.Skipped.Name, Digest: d}, true, true},
		{"skipped by the ledger", state.Entry{Op: state.OpSettle, Key: "K", UserID: "u", Outcome: outcome.Skipped.Name}, false, false},
		{"conflict", state.Entry{Op: state.OpSettle, Key: "K", Outcome: outcome.Conflict.Name}, false, false},
		{"a begin", state.Entry{Op: state.OpBegin, Key: "K", UserID: "u"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := openTestLedger(t)
			l.Settled(tt.e)
			if err := l.Flush(time.Now()); err != nil {
				t.Fatal(err)
			}
			rec, ok, err := l.Get("K")
			if err != nil || ok != tt.stored || (rec.Digests != nil) != tt.digest {
				t.Errorf("stored %v (%+v), err %v; want stored %v, digest %v", ok, rec, err, tt.stored, tt.digest)
			}
		})
	}
}

func TestLedgerValueIsCompact(t *testing.T) {
	b := int64(642870000000)
	u := mapping.User{Key: "1234567890", UserName: "wei.wang1234567890", Email: "wei.wang1234567890@example.com",
		PhoneNumber: "+86-13800138000", Nickname: "Wei Wang", UserGroup: []string{"2f1e0d9c8b7a46958473625140fedcba"},
		Birthdate: &b, IndexedAttributes: [5]string{"1234567890"},
		CustomizationAttributes: []mapping.Attribute{{Name: "department", Value: "Sales", Type: "STRING"}}}
	v := encodeLedgerValue(Record{UserID: "0123456789abcdef0123456789abcdef", Imported: time.Now(), Synced: time.Now(), Digests: u.FieldDigests()})
	if len(v) > 140 {
		t.Errorf("a typical record takes %d bytes, want at most 140", len(v))
	}
	rec, ok := decodeLedgerValue(v)
	if !ok || rec.UserID != "0123456789abcdef0123456789abcdef" || !bytes.Equal(rec.Digests, u.FieldDigests()) {
		t.Errorf("round trip: %+v %v", rec, ok)
	}
	for _, bad := range [][]byte{{ledgerV2}, {ledgerV2, 40, 'a'}, []byte("no separator")} {
		if _, ok := decodeLedgerValue(bad); ok {
			t.Errorf("decoded a damaged value %q", bad)
		}
	}
}
