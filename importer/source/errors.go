package source

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors carried by a RecordError, for callers to branch on with
// errors.Is.
var (
	// ErrFieldCount means a CSV record has more or fewer fields than the header.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrInvalidUTF8 means a field, or a JSONL line, is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrBadQuote means a CSV record is not quoted correctly.
	ErrBadQuote = errors.New("bad quote")
	// ErrInvalidJSON means a JSONL line is not one valid JSON value.
	ErrInvalidJSON = errors.New("invalid JSON")
	// ErrNotObject means a JSONL line is valid JSON but not an object.
	ErrNotObject = errors.New("not a JSON object")
	// ErrLineTooLong means a record is longer than Options.MaxRecordBytes.
	ErrLineTooLong = errors.New("record too long")
)

// Sentinel errors returned by Open and OpenReader.
var (
	// ErrHeader means the CSV header is missing, empty, or has an empty or
	// duplicate column name.
	ErrHeader = errors.New("bad header")
	// ErrFormat means the format is unknown or cannot be told from the name.
	ErrFormat = errors.New("unknown format")
	// ErrOffset means Options.Offset is not a record boundary of the file.
	ErrOffset = errors.New("bad resume offset")
)

// Causes of ErrBadQuote, matching encoding/csv's errors as well.
var (
	errBareQuote = fmt.Errorf("%w: %w", ErrBadQuote, csv.ErrBareQuote)
	errQuote     = fmt.Errorf("%w: %w", ErrBadQuote, csv.ErrQuote)
	errUnclosed  = fmt.Errorf("%w: quoted field not closed by the end of the file", ErrBadQuote)
	// errSpans is added to a cause found past the first line of a record.
	errSpans = errors.New("the quoted field opened here spans lines")
	// errFraming means encoding/csv disagreed with the framer about a record
	// the framer found well formed. It is a bug in this package.
	errFraming = fmt.Errorf("%w: internal error: framing disagrees with encoding/csv", ErrBadQuote)
)

// RecordError is a malformed record, or a bad header, in the style of
// csv.ParseError. Line and Column are 1-based; Column is a byte index in the
// line (in the line decoded to UTF-8 when Options.Encoding is not UTF-8)
// and is 0 when it does not apply.
type RecordError struct {
	File   string // name given to Open or OpenReader
	Line   int64  // line of the problem
	Column int    // byte column of the problem; 0 if unknown
	Field  string // column name (CSV) or key, if known
	Err    error  // wraps one of the Err* sentinels
}

// Error returns "file:line:column: field "name": cause", leaving out the
// parts that are unknown.
func (e *RecordError) Error() string {
	b := make([]byte, 0, 64)
	if e.File != "" {
		b = append(b, e.File...)
		b = append(b, ':')
	}
	b = strconv.AppendInt(b, e.Line, 10)
	if e.Column > 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(e.Column), 10)
	}
	b = append(b, ": "...)
	if e.Field != "" {
		b = append(b, "field "...)
		b = strconv.AppendQuote(b, e.Field)
		b = append(b, ": "...)
	}
	b = append(b, e.Err.Error()...)
	return string(b)
}

// Unwrap returns the cause, which wraps one of the Err* sentinels.
func (e *RecordError) Unwrap() error { return e.Err }
