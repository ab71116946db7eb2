package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ciam-import/ciam-import/importer/state"
)

var testBinding = Binding{UserStoreID: "store-a", Source: DefaultSource("legacy_id", 1)}

// openAs opens the ledger at path for b, failing the test on an error.
func openAs(t *testing.T, path string, b Binding) *Ledger {
	t.Helper()
	l, err := Open(path, b)
	if err != nil {
		t.Fatalf("open as %+v: %v", b, err)
	}
	return l
}

// record writes key -> uid into the ledger at path as b, and closes it.
func record(t *testing.T, path string, b Binding, key, uid string) {
	t.Helper()
	l := openAs(t, path, b)
	defer l.Close()
	l.Add(key, uid)
	if err := l.Flush(time.Now()); err != nil {
		t.Fatal(err)
	}
}

// lookup returns the user id the ledger at path holds for key as b, "" for
// none.
func lookup(t *testing.T, path string, b Binding, key string) string {
	t.Helper()
	l := openAs(t, path, b)
	defer l.Close()
	rec, ok, err := l.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return ""
	}
	return rec.UserID
}

// A ledger of another user store is refused before anything is written:
// its users do not exist there.
func TestLedgerRefusesAnotherStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	record(t, path, testBinding, "K1", "uid-1")
	before, _ := os.ReadFile(path)
	other := Binding{UserStoreID: "store-b", Source: testBinding.Source}
	l, err := Open(path, other)
	var mismatch *StoreMismatchError
	if !errors.As(err, &mismatch) || mismatch.Ledger != "store-a" || mismatch.Run != "store-b" {
		if l != nil {
			l.Close()
		}
		t.Fatalf("Open for another store: %v, want a *StoreMismatchError", err)
	}
	for _, want := range []string{path, "store-a", "store-b", "--ledger", "nothing was sent"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the refused ledger was written")
	}
	if got := lookup(t, path, testBinding, "K1"); got != "uid-1" {
		t.Errorf("its own store reads K1 = %q, want uid-1", got)
	}
}

// Two sources sharing one ledger never see each other's keys, and each
// lists only its own keys as missing.
func TestLedgerNamespacesSources(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	hr := Binding{UserStoreID: "store-a", Source: "hr"}
	shop := Binding{UserStoreID: "store-a", Source: "shop"}
	record(t, path, hr, "K1", "uid-hr")
	if got := lookup(t, path, shop, "K1"); got != "" {
		t.Fatalf("source shop reads source hr's K1: %q", got)
	}
	record(t, path, shop, "K1", "uid-shop")
	record(t, path, shop, "K2", "uid-shop-2")
	if got := lookup(t, path, hr, "K1"); got != "uid-hr" {
		t.Errorf("source hr's K1 = %q after source shop wrote its own, want uid-hr", got)
	}
	if got := lookup(t, path, hr, "K2"); got != "" {
		t.Errorf("source hr reads source shop's K2: %q", got)
	}
	l := openAs(t, path, hr)
	defer l.Close()
	n, err := ReportMissing(state.Dir{Path: dir}, l)
	if err != nil || n != 1 {
		t.Fatalf("ReportMissing as hr = %d, %v; want its one key", n, err)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, MissingFile))
	if !strings.Contains(string(csv), "uid-hr") || strings.Contains(string(csv), "uid-shop") {
		t.Errorf("missing.csv of source hr:\n%s", csv)
	}
}

// A ledger of the previous version (keys in one bucket, no metadata) is
// adopted by the first run that opens it: bound to that run's store, its
// keys those of that run's source. Other sources and stores then see it
// as any bound ledger.
func TestLedgerAdoptsAnOldLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	writeOldLedger(t, path, map[string]string{"K1": "uid-1|1735787040"})
	l := openAs(t, path, testBinding)
	if !l.Adopted {
		t.Error("Adopted = false on the first open of an old ledger")
	}
	rec, ok, err := l.Get("K1")
	if err != nil || !ok || rec.UserID != "uid-1" {
		t.Fatalf("adopted K1 = %+v, %v, %v", rec, ok, err)
	}
	l.Close()
	again := openAs(t, path, testBinding)
	if again.Adopted {
		t.Error("Adopted = true on the second open")
	}
	again.Close()
	if got := lookup(t, path, Binding{UserStoreID: "store-a", Source: "another"}, "K1"); got != "" {
		t.Errorf("another source reads the adopted K1: %q", got)
	}
	_, err = Open(path, Binding{UserStoreID: "store-b", Source: testBinding.Source})
	if _, ok := errors.AsType[*StoreMismatchError](err); !ok {
		t.Errorf("another store opened the adopted ledger: %v", err)
	}
}

// An old ledger without keys has nothing to adopt: it is bound like a
// new one.
func TestLedgerEmptyOldLedgerIsNotAdopted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	writeOldLedger(t, path, nil)
	l := openAs(t, path, testBinding)
	defer l.Close()
	if l.Adopted {
		t.Error("an empty old ledger was adopted")
	}
}

// writeOldLedger writes a ledger as the previous version did: values in
// ledgerBucket, no metadata.
func writeOldLedger(t *testing.T, path string, kv map[string]string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(ledgerBucket)
		for k, v := range kv {
			if err == nil {
				err = b.Put([]byte(k), []byte(v))
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSourceNames(t *testing.T) {
	if got, want := DefaultSource("legacy_id", 2), "key=legacy_id;legacy=IndexedAttribute2"; got != want {
		t.Errorf("DefaultSource = %q, want %q", got, want)
	}
	if got, want := DefaultSource("emp.no", 0), "key=emp.no;legacy=none"; got != want {
		t.Errorf("DefaultSource = %q, want %q", got, want)
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"hr-nightly", true},
		{"key=id;legacy=IndexedAttribute1", true},
		{"", false},
		{"  ", false},
		{"a\nb", false},
		{strings.Repeat("x", maxSourceLen+1), false},
	}
	for _, tt := range tests {
		err := CheckSource(tt.name)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrSourceName)) {
			t.Errorf("CheckSource(%q) = %v, want ok %v", tt.name, err, tt.ok)
		}
		path := filepath.Join(t.TempDir(), "ledger.db")
		l, err := Open(path, Binding{UserStoreID: "s", Source: tt.name})
		if l != nil {
			l.Close()
		}
		if (err == nil) != tt.ok {
			t.Errorf("Open with source %q: %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
