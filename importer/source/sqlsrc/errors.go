package sqlsrc

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is.
var (
	// ErrBinaryColumn means a selected column is binary (bytea, BLOB,
	// BINARY, VARBINARY, BIT, GEOMETRY): it has no text form to map. Leave
	// it out with a Query.
	ErrBinaryColumn = errors.New("binary column")
	// ErrKeyType means the key column is not of an integer, text or uuid type.
	ErrKeyType = errors.New("unsupported key type")
	// ErrNullKey means the key column is NULL in some row.
	ErrNullKey = errors.New("NULL key")
	// ErrDuplicateKey means two rows have the same key value; it is wrapped
	// by a *DuplicateKeyError.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrKeyOrder means the database returned keys out of the order this
	// package compares them in (a collation or type this package does not
	// know); keyset reading would skip rows, so it stops.
	ErrKeyOrder = errors.New("keys out of order")
	// ErrRowGone is the cause in the *source.RecordError of a Reread record
	// whose key is no longer in the table or query.
	ErrRowGone = errors.New("no row with this key any more")
)

// ColumnError is a problem with one column of the result.
type ColumnError struct {
	Column string // column name
	Type   string // database type name
	Err    error  // ErrBinaryColumn, ErrKeyType, ErrNullKey
}

// Error returns `column "name" (type): cause`.
func (e *ColumnError) Error() string {
	return fmt.Sprintf("column %q (%s): %v", e.Column, e.Type, e.Err)
}

// Unwrap returns the cause.
func (e *ColumnError) Unwrap() error { return e.Err }

// DuplicateKeyError means two rows share a key value: keyset pagination
// (WHERE key > last) would skip one of them, so the read stops before.
type DuplicateKeyError struct {
	Key   string // the key column
	Value string // the value seen twice
	Row   int64  // ordinal of the first of the two rows
}

// Error names the key column and the value.
func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("key column %q has the value %q in more than one row (row %d and the next): "+
		"reading by key needs a unique key; choose a unique column with --key", e.Key, e.Value, e.Row)
}

// Unwrap returns ErrDuplicateKey.
func (e *DuplicateKeyError) Unwrap() error { return ErrDuplicateKey }
