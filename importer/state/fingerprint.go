package state

import "fmt"

// Fingerprint identifies what a run imports, and where to. A resume is only
// safe if it matches the snapshot's fingerprint. Whether the input's content
// is still the one the snapshot's cursor was taken from is the source's to
// check when it opens at that cursor (source.ErrChanged).
type Fingerprint struct {
	Input         string `json:"input"` // source.Input.Identity(): kind and place, never a secret
	MappingSHA256 string `json:"mapping_sha256"`
	UserStoreID   string `json:"user_store_id"`
}

// Diff describes, in words for an operator, how f differs from old, the
// fingerprint stored in the snapshot. It returns nil when a resume is safe.
func (f Fingerprint) Diff(old Fingerprint) []string {
	var d []string
	if f.Input != old.Input {
		d = append(d, fmt.Sprintf("input changed from %q to %q", old.Input, f.Input))
	}
	if f.MappingSHA256 != old.MappingSHA256 {
		d = append(d, "mapping changed")
	}
	if f.UserStoreID != old.UserStoreID {
		d = append(d, fmt.Sprintf("user store changed from %q to %q", old.UserStoreID, f.UserStoreID))
	}
	return d
}
