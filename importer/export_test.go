package importer

// SetJournalRotateAt makes the journal rotate at n bytes until restore is
// called, so tests see rotations on small inputs.
func SetJournalRotateAt(n int64) (restore func()) {
	old := journalRotateAt
	journalRotateAt = n
	return func() { journalRotateAt = old }
}
