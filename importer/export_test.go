package importer

// SetMapBatchSize makes validate hand out batches of n records until
// restore is called, so tests interleave many batches on small inputs.
func SetMapBatchSize(n int) (restore func()) {
	old := mapBatchSize
	mapBatchSize = n
	return func() { mapBatchSize = old }
}

// SetJournalRotateAt makes the journal rotate at n bytes until restore is
// called, so tests see rotations on small inputs.
func SetJournalRotateAt(n int64) (restore func()) {
	old := journalRotateAt
	journalRotateAt = n
	return func() { journalRotateAt = old }
}
