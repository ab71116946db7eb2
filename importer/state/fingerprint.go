package state

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// HeadSize is how many leading bytes of the input HeadSHA256 covers.
const HeadSize = 1 << 20

// Fingerprint identifies what a run imports, and where to. A resume is only
// safe if it matches the snapshot's fingerprint, up to the input growing.
type Fingerprint struct {
	InputPath     string `json:"input_path"`
	InputSize     int64  `json:"input_size"`
	HeadSHA256    string `json:"head_sha256"` // hex SHA-256 of the first min(InputSize, HeadSize) bytes
	MappingSHA256 string `json:"mapping_sha256"`
	UserStoreID   string `json:"user_store_id"`
	Format        string `json:"format"` // input format, e.g. "csv" or "jsonl"

	// PrefixSize and PrefixSHA256 are not stored. FingerprintInput sets
	// them when the previous input was shorter than HeadSize and this one is
	// longer: PrefixSHA256 is the hash of this input's first PrefixSize
	// (= previous InputSize) bytes, which GrewFrom and Diff compare with the
	// previous HeadSHA256.
	PrefixSize   int64  `json:"-"`
	PrefixSHA256 string `json:"-"`
}

// ComputeInputFingerprint returns the size of the file at path and the hex
// SHA-256 of its first min(size, HeadSize) bytes.
func ComputeInputFingerprint(path string) (size int64, headSHA string, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, "", fmt.Errorf("fingerprint input: %w", err)
	}
	head, err := hashPrefix(path, min(fi.Size(), HeadSize))
	return fi.Size(), head, err
}

// FingerprintInput fills InputPath, InputSize and HeadSHA256 from the file
// at path; the caller fills the other identity fields. If prev (the
// snapshot's fingerprint) is not nil, it also records what GrewFrom needs to
// recognise an input that only grew from one shorter than HeadSize.
func FingerprintInput(path string, prev *Fingerprint) (Fingerprint, error) {
	size, head, err := ComputeInputFingerprint(path)
	if err != nil {
		return Fingerprint{}, err
	}
	f := Fingerprint{InputPath: path, InputSize: size, HeadSHA256: head}
	if prev != nil && prev.InputSize < HeadSize && size > prev.InputSize {
		f.PrefixSize = prev.InputSize
		f.PrefixSHA256, err = hashPrefix(path, prev.InputSize)
	}
	return f, err
}

// hashPrefix returns the hex SHA-256 of the first n bytes of the file.
func hashPrefix(path string, n int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("fingerprint input: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyN(h, f, n); err != nil {
		return "", fmt.Errorf("fingerprint input %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Diff describes, in words for an operator, how f differs from old, the
// fingerprint stored in the snapshot. It returns nil when a resume is safe.
// An input that only grew (GrewFrom) is not a difference.
func (f Fingerprint) Diff(old Fingerprint) []string {
	var d []string
	if f.InputPath != old.InputPath {
		d = append(d, fmt.Sprintf("input path changed from %q to %q", old.InputPath, f.InputPath))
	}
	if f.Format != old.Format {
		d = append(d, fmt.Sprintf("input format changed from %q to %q", old.Format, f.Format))
	}
	if f.MappingSHA256 != old.MappingSHA256 {
		d = append(d, "mapping changed")
	}
	if f.UserStoreID != old.UserStoreID {
		d = append(d, fmt.Sprintf("user store changed from %q to %q", old.UserStoreID, f.UserStoreID))
	}
	if f.InputSize < old.InputSize {
		d = append(d, fmt.Sprintf("input shrank from %d to %d bytes", old.InputSize, f.InputSize))
	} else if !f.sameStart(old) {
		d = append(d, fmt.Sprintf("input head changed (its first %d bytes differ)", min(old.InputSize, HeadSize)))
	}
	return d
}

// GrewFrom reports whether f's input is longer than old's and starts with
// the bytes old's head hash covers. It says nothing about the other fields.
func (f Fingerprint) GrewFrom(old Fingerprint) bool {
	return f.InputSize > old.InputSize && f.sameStart(old)
}

// sameStart reports whether f's input starts with the bytes that old's
// HeadSHA256 covers, as far as the stored hashes can tell.
func (f Fingerprint) sameStart(old Fingerprint) bool {
	switch {
	case f.InputSize < old.InputSize:
		return false
	case old.InputSize >= HeadSize || f.InputSize == old.InputSize:
		return f.HeadSHA256 == old.HeadSHA256 // both cover the same byte range
	default: // old was shorter than HeadSize and f is longer
		return f.PrefixSize == old.InputSize && f.PrefixSHA256 == old.HeadSHA256
	}
}
