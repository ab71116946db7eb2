package ledger

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/ciam-import/ciam-import/importer/outcome"
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
// path.
func reportedKeys(path string, seed maphash.Seed) ([]uint64, error) {
	var out []uint64
	for _, o := range outcome.All {
		col := slices.IndexFunc(o.Columns, func(c outcome.Column) bool { return c.Name == outcome.Key.Name })
		if col < 0 {
			continue
		}
		if err := readColumn(filepath.Join(path, o.File), col, func(key string) {
			out = append(out, maphash.String(seed, key))
		}); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}

// readColumn calls fn with column col of every record of the CSV file at
// path after its header; a missing file has none.
func readColumn(path string, col int, fn func(string)) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord, r.FieldsPerRecord = true, -1
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", filepath.Base(path), err)
		}
		if !first && col < len(rec) {
			fn(rec[col])
		}
	}
}
