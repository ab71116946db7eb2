package state

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

func sampleSnapshot() *Snapshot {
	return &Snapshot{
		Fingerprint: Fingerprint{Input: "csv file /data/users.csv", MappingSHA256: "cd", UserStoreID: "us-1"},
		Pass:        1,
		Cursor:      "4096:88:abcdef",
		Line:        88,
		Pos:         4096,
		InFlight:    []Position{{Line: 88, ID: "4096", Sink: "create"}},
		JournalSize: 777,
		Reports:     map[string]int64{"created.csv": 120, "conflicts.csv": 60},
		Counts:      outcome.Counts{"read": 87, "created": 80, "conflict": 3, "rejected": 2, "retryable": 1, "skipped": 1},
		Done:        true,
		UpdatedAt:   time.Date(2025, 11, 29, 1, 2, 3, 4, time.UTC),
	}
}

func TestSnapshot_RoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), SnapshotFile)
	in := sampleSnapshot()
	if err := WriteSnapshot(path, in); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
	got, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	want := *in
	want.Version = SnapshotVersion // stamped by WriteSnapshot
	want.Checksum = got.Checksum
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, &want)
	}
	if in.Version != 0 {
		t.Error("WriteSnapshot modified its argument")
	}
	for _, key := range []string{`"cursor"`, `"in_flight"`, `"journal_size"`, `"counts"`, `"retryable"`, `"checksum"`} {
		if !strings.Contains(readFile(t, path), key) {
			t.Errorf("snapshot JSON lacks %s", key)
		}
	}
}

func TestReadSnapshot_Missing(t *testing.T) {
	s, err := ReadSnapshot(filepath.Join(t.TempDir(), SnapshotFile))
	if !errors.Is(err, ErrNoSnapshot) || s != nil {
		t.Fatalf("got %v, %v; want nil, ErrNoSnapshot", s, err)
	}
}

func TestReadSnapshot_Malformed(t *testing.T) {
	tests := []struct {
		name, data string
		line       int64
	}{
		{"empty", "", 1},
		{"truncated", "{\n  \"version\": 1,\n  \"offset\": 12", 3},
		{"not json", "hello", 1},
		{"null", "null", 0},
		{"no version", `{"offset": 1}`, 0},
		{"wrong type", "{\"version\": 2,\n\"pos\": \"12\"}", 2},
		{"unknown field", `{"version": 2, "ofset": 12}`, 0},
		{"trailing data", `{"version": 2} {}`, 1},
		{"no checksum", `{"version": 2, "pos": 5}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), SnapshotFile)
			writeFile(t, path, tt.data)
			s, err := ReadSnapshot(path)
			if s != nil {
				t.Errorf("got snapshot %+v with error", s)
			}
			ce := assertCorrupt(t, err)
			if ce.Path != path {
				t.Errorf("Path = %q", ce.Path)
			}
			if tt.line != 0 && ce.Line != tt.line {
				t.Errorf("Line = %d, want %d (%v)", ce.Line, tt.line, err)
			}
		})
	}
}

func TestReadSnapshot_UnknownVersion(t *testing.T) {
	for _, v := range []string{"0", "1", "99"} {
		path := filepath.Join(t.TempDir(), SnapshotFile)
		writeFile(t, path, `{"version": `+v+`, "new_field": true}`)
		_, err := ReadSnapshot(path)
		assertCorrupt(t, err)
		if !errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("version %s: %v, want ErrUnsupportedVersion", v, err)
		}
	}
}

// A one-bit flip anywhere in the snapshot is a damaged state, never a silent
// skip or double of rows (issue: snapshot.json had no integrity check).
func TestReadSnapshot_BitFlipIsCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := WriteSnapshot(path, sampleSnapshot()); err != nil {
		t.Fatal(err)
	}
	orig := readFile(t, path)
	for _, edit := range []struct{ from, to string }{
		{`"line": 88`, `"line": 89`},
		{`"created": 80`, `"created": 81`},
		{`"cursor": "4096:88:abcdef"`, `"cursor": "4097:88:abcdef"`},
		{`"done": true`, `"done": false`},
		{`"journal_size": 777`, `"journal_size": 776`},
	} {
		if !strings.Contains(orig, edit.from) {
			t.Fatalf("snapshot lacks %s:\n%s", edit.from, orig)
		}
		writeFile(t, path, strings.Replace(orig, edit.from, edit.to, 1))
		if _, err := ReadSnapshot(path); !errors.Is(err, ErrCorrupt) || !errors.Is(err, ErrDamaged) {
			t.Errorf("%s -> %s: ReadSnapshot = %v, want ErrCorrupt, a damaged state", edit.from, edit.to, err)
		}
	}
}
