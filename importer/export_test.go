package importer

import "github.com/ciam-import/ciam-import/importer/dedup"

// SetMapBatchSize makes validate hand out batches of n records until
// restore is called, so tests interleave many batches on small inputs.
func SetMapBatchSize(n int) (restore func()) {
	old := mapBatchSize
	mapBatchSize = n
	return func() { mapBatchSize = old }
}

// SetSeenConfig sets the duplicate table's configuration of the runs of a
// test (a small in-memory table: runs and merges) and restores it at the
// test's end.
func SetSeenConfig(t interface{ Cleanup(func()) }, c dedup.Config) {
	old := seenConfig
	seenConfig = c
	t.Cleanup(func() { seenConfig = old })
}
