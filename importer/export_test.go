package importer

// SetMapBatchSize makes validate hand out batches of n records until
// restore is called, so tests interleave many batches on small inputs.
func SetMapBatchSize(n int) (restore func()) {
	old := mapBatchSize
	mapBatchSize = n
	return func() { mapBatchSize = old }
}
