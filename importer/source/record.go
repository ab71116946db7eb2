package source

// Record is one input record and where it lies in the file.
type Record struct {
	// Line is the 1-based line on which the record starts. In CSV the header
	// is line 1; a quoted field may span lines, so Line is not the record's
	// index.
	Line int64
	// Offset is the byte offset of the record's first byte.
	Offset int64
	// End is the byte offset just past the record and its line terminator:
	// the resume point after it.
	End int64
	// EndLine is the line number at End. Reopen with Options{Offset: End,
	// Line: EndLine} to resume after this record.
	EndLine int64
	// Fields holds the record. CSV: column name -> string. JSONL: the decoded
	// object, with json.Number for numbers, []any and map[string]any. Each
	// record gets its own map; the reader never touches it again.
	//
	// A CSV record with ErrFieldCount or ErrInvalidUTF8 still has Fields
	// (only the columns present); for other errors Fields is nil.
	Fields map[string]any
	// Err is nil for a good record. Otherwise it is a *RecordError and the
	// record is malformed; reading goes on with the next record.
	Err error
}

// Reader reads records one at a time. It is not safe for concurrent use.
type Reader interface {
	// Next returns the next record, or io.EOF after the last one. A malformed
	// record is returned with Record.Err set, not as an error: the error
	// result is only for failures to read the input, and once Next has
	// returned an error it returns the same error again. After Close, Next
	// returns an error matching fs.ErrClosed.
	Next() (Record, error)
	// Header returns the CSV column names in file order, or nil for JSONL.
	// The caller may modify the returned slice.
	Header() []string
	// Close releases the reader. It closes the file opened by Open, but not
	// an io.ReaderAt passed to OpenReader. Calling it again returns nil.
	Close() error
}
