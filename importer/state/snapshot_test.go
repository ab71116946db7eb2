package state

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleSnapshot() *Snapshot {
	return &Snapshot{
		Fingerprint: Fingerprint{InputPath: "/data/users.csv", InputSize: 12345, HeadSHA256: "ab",
			MappingSHA256: "cd", UserStoreID: "us-1", Format: "csv"},
		Pass:         1,
		Offset:       4096,
		Line:         88,
		SettledAbove: []Position{{Line: 90, Offset: 4200, End: 4260}},
		InFlight:     []Position{{Line: 88, Offset: 4096, End: 4150}},
		JournalSize:  777,
		Reports:      map[string]int64{"created.csv": 120, "conflicts.csv": 60},
		Counts:       Counts{Read: 87, Created: 80, Conflict: 3, Rejected: 2, Retryable: 1, Skipped: 1},
		Done:         true,
		UpdatedAt:    time.Date(2025, 11, 29, 1, 2, 3, 4, time.UTC),
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
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, &want)
	}
	if in.Version != 0 {
		t.Error("WriteSnapshot modified its argument")
	}
	for _, key := range []string{`"settled_above"`, `"in_flight"`, `"journal_size"`, `"counts"`, `"retryable"`, `"head_sha256"`} {
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
		{"wrong type", "{\"version\": 1,\n\"offset\": \"12\"}", 2},
		{"unknown field", `{"version": 1, "ofset": 12}`, 0},
		{"trailing data", `{"version": 1} {}`, 1},
		{"negative offset", `{"version": 1, "offset": -1}`, 0},
		{"negative report size", `{"version": 1, "reports": {"created.csv": -5}}`, 0},
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
	for _, v := range []string{"0", "2", "99"} {
		path := filepath.Join(t.TempDir(), SnapshotFile)
		writeFile(t, path, `{"version": `+v+`, "new_field": true}`)
		_, err := ReadSnapshot(path)
		assertCorrupt(t, err)
		if !errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("version %s: %v, want ErrUnsupportedVersion", v, err)
		}
	}
}
