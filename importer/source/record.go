package source

// Record is one input record and where it lies in the file.
type Record struct {
	// ID is the record's stable identity within its Input: the same record
	// has the same ID in every read. The journal and retry passes name rows
	// by it. Files: the decimal byte offset of the record's first byte.
	// Databases: the key column's value as text.
	ID string
	// Next is an opaque cursor: Input.Open(Next) continues with the record
	// after this one. It carries what the Input needs to check, on Open,
	// that nothing before it changed. Never a secret.
	Next string
	// Pos measures progress through the input in the unit of Input.Size
	// (files: bytes, End). It only grows.
	Pos int64
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
