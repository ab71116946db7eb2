package state

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
)

func TestComputeInputFingerprint(t *testing.T) {
	dir := t.TempDir()
	small := []byte("id,email\n1,a@example.com\n")
	big := bytes.Repeat([]byte("0123456789abcdef"), HeadSize/16+100)
	for _, data := range [][]byte{nil, small, big} {
		path := filepath.Join(dir, "in")
		writeFile(t, path, string(data))
		size, head, err := ComputeInputFingerprint(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data[:min(len(data), HeadSize)])
		if size != int64(len(data)) || head != hex.EncodeToString(sum[:]) {
			t.Errorf("len %d: got size %d head %s", len(data), size, head)
		}
	}
	if _, _, err := ComputeInputFingerprint(filepath.Join(dir, "nope")); err == nil {
		t.Error("want error for a missing input")
	}
}

// TestFingerprint_DiffGrewFrom fingerprints an input, changes it, and
// fingerprints it again the way a resume does.
func TestFingerprint_DiffGrewFrom(t *testing.T) {
	small := "id,email\n1,a@example.com\n2,b@example.com\n"
	big := strings.Repeat("3,c@example.com\n", HeadSize/16+10) // > HeadSize
	flip := func(s string, i int) string { b := []byte(s); b[i] ^= 1; return string(b) }
	tests := []struct {
		name      string
		old, new  string
		edit      func(f *Fingerprint) // identity changes besides the input
		wantDiffs []string             // substrings, in order
		wantGrew  bool
	}{
		{name: "same small", old: small, new: small},
		{name: "same big", old: big, new: big},
		{name: "small grew", old: small, new: small + "4,d@example.com\n", wantGrew: true},
		{name: "small grew past head size", old: small, new: small + big, wantGrew: true},
		{name: "empty grew", old: "", new: small, wantGrew: true},
		{name: "big grew", old: big, new: big + "5,e@example.com\n", wantGrew: true},
		{name: "small grew but head changed", old: small, new: flip(small, 3) + "4\n", wantDiffs: []string{"input head changed"}},
		{name: "big grew but head changed", old: big, new: flip(big, 10) + "x\n", wantDiffs: []string{"input head changed"}},
		{name: "small same size changed", old: small, new: flip(small, 20), wantDiffs: []string{"input head changed"}},
		{name: "big changed past the head is not seen", old: big, new: flip(big, HeadSize+5)},
		{name: "shrank", old: small, new: small[:10], wantDiffs: []string{"input shrank from 41 to 10 bytes"}},
		{name: "mapping changed", old: small, new: small,
			edit: func(f *Fingerprint) { f.MappingSHA256 = "other" }, wantDiffs: []string{"mapping changed"}},
		{name: "user store changed", old: small, new: small,
			edit: func(f *Fingerprint) { f.UserStoreID = "us-2" }, wantDiffs: []string{`user store changed from "us-1" to "us-2"`}},
		{name: "format and path changed", old: small, new: small + "x\n", wantGrew: true,
			edit:      func(f *Fingerprint) { f.Format = "jsonl"; f.InputPath = "/elsewhere" },
			wantDiffs: []string{"input path changed", `input format changed from "csv" to "jsonl"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users.csv")
			writeFile(t, path, tt.old)
			old := fingerprint(t, path, nil)
			writeFile(t, path, tt.new)
			cur := fingerprint(t, path, &old)
			if tt.edit != nil {
				tt.edit(&cur)
			}
			diffs := cur.Diff(old)
			if len(diffs) != len(tt.wantDiffs) {
				t.Fatalf("Diff = %q, want %q", diffs, tt.wantDiffs)
			}
			for i, want := range tt.wantDiffs {
				if !strings.Contains(diffs[i], want) {
					t.Errorf("Diff[%d] = %q, want it to contain %q", i, diffs[i], want)
				}
			}
			if got := cur.GrewFrom(old); got != tt.wantGrew {
				t.Errorf("GrewFrom = %v, want %v", got, tt.wantGrew)
			}
		})
	}
}

// Without the prefix hash FingerprintInput records, a small input that grew
// cannot be told from a changed one, so Diff errs on the safe side.
func TestFingerprint_SmallGrowthWithoutPrefixIsADiff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.csv")
	writeFile(t, path, "a\n")
	old := fingerprint(t, path, nil)
	writeFile(t, path, "a\nb\n")
	cur := fingerprint(t, path, nil)
	if cur.GrewFrom(old) || len(cur.Diff(old)) != 1 {
		t.Errorf("GrewFrom = %v, Diff = %q; want false and one difference", cur.GrewFrom(old), cur.Diff(old))
	}
}

func fingerprint(t *testing.T, path string, prev *Fingerprint) Fingerprint {
	t.Helper()
	f, err := FingerprintInput(path, prev)
	if err != nil {
		t.Fatal(err)
	}
	f.InputPath, f.Format, f.MappingSHA256, f.UserStoreID = "/data/users.csv", "csv", "m1", "us-1"
	return f
}
