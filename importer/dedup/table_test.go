package dedup

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

func user(key, name, email, phone string) *mapping.User {
	return &mapping.User{Key: key, UserName: name, Email: email, PhoneNumber: phone}
}

func open(t *testing.T, dir string, cfg Config) *Table {
	t.Helper()
	tab, err := Open(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tab.Close() })
	return tab
}

// settle does what the pipeline does when a checked row settles: its
// entry carries the identifiers it took, and the settler queues them.
func settle(tab *Table, u *mapping.User, r Row) state.Entry {
	e := state.Entry{Op: state.OpSettle, ID: r.ID, Key: u.Key, Line: r.Line, Seen: tab.Take(r.ID)}
	tab.Settled(e)
	return e
}

func rowAt(line int64) Row { return Row{ID: fmt.Sprint(line * 100), Line: line} }

func TestCheck(t *testing.T) {
	type want struct {
		kind  string
		first int64
	}
	rows := []struct {
		line int64
		u    *mapping.User
		want want // zero: not a duplicate
	}{
		{2, user("K1", "alice", "alice@example.com", "+86-1"), want{}},
		{3, user("K2", "bob", "bob@example.com", "+86-2"), want{}},
		{4, user("K1", "carol", "carol@example.com", "+86-3"), want{KindKey, 2}},
		{5, user("K5", "alice", "x5@example.com", "+86-5"), want{KindUserName, 2}},
		{6, user("K6", "u6", "ALICE@Example.com", "+86-6"), want{KindEmail, 2}},
		{7, user("K7", "u7", "x7@example.com", "+86-2"), want{KindPhone, 3}},
		{8, user("K2", "alice", "bob@example.com", "+86-1"), want{KindKey, 3}}, // the first identifier checked is named
		{9, user("K9", "", "", ""), want{}},
		{10, user("K10", "", "", ""), want{}},                                     // empty values never collide
		{11, user("K11", "carol", "carol@example.com", "+86-3"), want{}},          // a duplicate's identifiers stay free
		{12, user("K12", "bob@example.com", "x12@example.com", "+86-12"), want{}}, // same value, another kind
		{13, user("K13", "u13", "carol@example.com", "+86-13"), want{KindEmail, 11}},
		{14, user("k1", "u14", "x14@example.com", "+86-14"), want{}}, // keys are case-sensitive
	}
	for _, flushEvery := range []int{0, 1, 3} { // held in memory, written, or a mix
		t.Run(fmt.Sprintf("flush every %d", flushEvery), func(t *testing.T) {
			tab := open(t, t.TempDir(), Config{NoSync: true, MemSlots: 8}) // a run every few rows
			for i, r := range rows {
				d, dup, err := tab.Check(r.u, rowAt(r.line))
				if err != nil {
					t.Fatal(err)
				}
				got := want{}
				if dup {
					got = want{d.Kind, d.Line}
				}
				if got != r.want {
					t.Errorf("line %d: got %+v, want %+v", r.line, got, r.want)
				}
				if flushEvery > 0 {
					settle(tab, r.u, rowAt(r.line))
					if i%flushEvery == 0 {
						if err := tab.Flush(time.Time{}); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		})
	}
}

// A row seen again (same source ID and key) holds its own identifiers: a
// retry pass or a resumed row in flight is not its own duplicate. The same
// line with another key is another row.
func TestSameRowIsNotItsOwnDuplicate(t *testing.T) {
	dir := t.TempDir()
	tab := open(t, dir, Config{})
	u := user("K1", "alice", "alice@example.com", "+86-1")
	if _, dup, _ := tab.Check(u, rowAt(2)); dup {
		t.Fatal("first row taken for a duplicate")
	}
	settle(tab, u, rowAt(2))
	if err := tab.Flush(time.Time{}); err != nil {
		t.Fatal(err)
	}
	tab.Close()
	tab = open(t, dir, Config{})
	if _, dup, _ := tab.Check(u, rowAt(2)); dup {
		t.Error("the same row, re-read after a restart, taken for its own duplicate")
	}
	if tab.Take(rowAt(2).ID) != "" {
		t.Error("the same row took hold of identifiers it already held")
	}
	other := rowAt(2)
	other.ID = "other"
	if d, dup, _ := tab.Check(u, other); !dup || d.Kind != KindKey || d.Line != 2 {
		t.Errorf("another row with the same key: %+v %v, want a duplicate of line 2", d, dup)
	}
}

// The checkpoint order: a row's identifiers are durable only once Flush
// wrote them; what a crash dropped before the flush comes back from the
// journal's settle entries (replayed with Settled), and a row whose settle
// was lost holds nothing after the crash.
func TestCrashConsistency(t *testing.T) {
	dir := t.TempDir()
	tab := open(t, dir, Config{MemSlots: 16})
	a, b, c := user("KA", "a", "a@x", ""), user("KB", "b", "b@x", ""), user("KC", "c", "c@x", "")
	for i, u := range []*mapping.User{a, b, c} {
		if _, dup, _ := tab.Check(u, rowAt(int64(i+2))); dup {
			t.Fatalf("row %d a duplicate", i)
		}
	}
	eA := settle(tab, a, rowAt(2))
	if err := tab.Flush(time.Time{}); err != nil { // checkpoint 1: A is durable
		t.Fatal(err)
	}
	eB := settle(tab, b, rowAt(3)) // B settles, its journal entry durable; the crash comes before the next flush
	// C was checked but never settled: a crash drops it.
	tab.Close()

	tab = open(t, dir, Config{MemSlots: 16})
	tab.Settled(eB) // the resume replays the journal tail
	if d, dup, _ := tab.Check(user("K9", "a", "", ""), rowAt(9)); !dup || d.Line != 2 {
		t.Errorf("row A's identifiers lost: %+v %v", d, dup)
	}
	if d, dup, _ := tab.Check(user("K10", "", "b@x", ""), rowAt(10)); !dup || d.Line != 3 {
		t.Errorf("row B's identifiers (replayed) lost: %+v %v", d, dup)
	}
	if _, dup, _ := tab.Check(c, rowAt(4)); dup {
		t.Error("row C, whose settle was lost, is taken for its own duplicate on resume")
	}
	// Replaying an entry already flushed changes nothing.
	tab.Settled(eA)
	if err := tab.Flush(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := tab.Len(); n != 6 { // A's and B's key, user name and email; not C's
		t.Errorf("%d identifiers written, want 6", n)
	}
}

// Many rows, far more than the in-memory table: runs are written and
// merged, and every identifier is still found, across a reopen.
func TestRunsAndMerges(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{NoSync: true, MemSlots: 1 << 8, MaxRuns: 3}
	tab := open(t, dir, cfg)
	u := func(i int) *mapping.User {
		s := strings.Repeat("x", i%7) + fmt.Sprint(i)
		return user("K"+s, "u"+s, s+"@example.com", "+86-"+s)
	}
	const n = 20000 // 80,000 identifiers: the filter grows past minBloomCap
	for i := range n {
		if _, dup, err := tab.Check(u(i), rowAt(int64(i+2))); dup || err != nil {
			t.Fatalf("row %d: dup %v err %v", i, dup, err)
		}
		settle(tab, u(i), rowAt(int64(i+2)))
		if i%100 == 0 {
			if err := tab.Flush(time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tab.Flush(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 4*n {
		t.Errorf("len %d, want %d", tab.Len(), 4*n)
	}
	if len(tab.runs) == 0 || len(tab.runs) > cfg.MaxRuns {
		t.Errorf("%d runs, want 1..%d", len(tab.runs), cfg.MaxRuns)
	}
	tab.Close()
	tab = open(t, dir, cfg)
	if tab.filter.cap <= minBloomCap {
		t.Errorf("the filter did not grow: capacity %d", tab.filter.cap)
	}
	for _, i := range []int{0, 1, 777, 2500, 9999, 17777, n - 1} {
		other := Row{ID: "again", Line: 99999}
		d, dup, err := tab.Check(user("new", "", strings.ToUpper(u(i).Email), ""), other)
		if err != nil || !dup || d.Kind != KindEmail || d.Line != int64(i+2) {
			t.Errorf("row %d's email again: %+v %v %v, want a duplicate of line %d", i, d, dup, err, i+2)
		}
	}
}

func TestDamagedManifestIsRefused(t *testing.T) {
	dir := t.TempDir()
	tab := open(t, dir, Config{})
	tab.Close()
	if err := writeString(dir+"/"+manifestFile, "{"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Config{}); err == nil || !strings.Contains(err.Error(), "--restart") {
		t.Errorf("err %v, want a damaged manifest that says --restart", err)
	}
}

func writeString(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
