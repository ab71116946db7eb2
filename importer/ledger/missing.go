package ledger

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"path/filepath"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// MissingFile is the report of the legacy users that disappeared from the
// export: keys in the ledger that no row of the main pass had
// (--report-missing). Nothing is ever deleted for them.
const MissingFile = "missing.csv"

// missingHeader are the columns of MissingFile.
var missingHeader = []string{"key", "user_id", "last_synced"}

// ReportMissing writes MissingFile into dir: every key of the ledger's
// source that none of dir's reports names (other sources' keys are theirs). It must run only once the main pass has read
// the whole input, when every input row is in exactly one report. The keys
// seen are held as 64-bit hashes (8 bytes a row); a collision could hide a
// missing key, with a chance of about n²/2⁶⁵ (3·10⁻⁶ at 10 million rows).
// It returns how many keys are missing.
func ReportMissing(dir state.Dir, l *Ledger) (int64, error) {
	seed := maphash.MakeSeed()
	seen, err := reportedKeys(dir.Path, seed)
	if err != nil {
		return 0, fmt.Errorf("report missing: %w", err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(missingHeader)
	var n int64
	err = l.db.View(func(tx *bolt.Tx) error {
		return l.keys(tx).ForEach(func(k, v []byte) error {
			if _, found := slices.BinarySearch(seen, maphash.Bytes(seed, k)); found {
				return nil
			}
			rec, _ := decodeLedgerValue(v)
			n++
			return w.Write([]string{string(k), rec.UserID, rec.Synced.UTC().Format("2006-01-02T15:04:05Z")})
		})
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err == nil {
		err = state.WriteFileAtomic(filepath.Join(dir.Path, MissingFile), buf.Bytes(), 0o600)
	}
	if err != nil {
		return 0, fmt.Errorf("report missing: %w", err)
	}
	return n, nil
}

// reportedKeys returns the sorted hashes of the keys of every report in
// path; a missing report has none.
func reportedKeys(path string, seed maphash.Seed) ([]uint64, error) {
	var out []uint64
	for _, o := range outcome.All {
		if !slices.ContainsFunc(o.Columns, func(c outcome.Column) bool { return c.Name == outcome.Key.Name }) {
			continue
		}
		err := report.Read(filepath.Join(path, o.File), o, func(r outcome.Row, _ int) error {
			out = append(out, maphash.String(seed, r.Key))
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}
