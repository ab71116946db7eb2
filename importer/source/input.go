package source

import "errors"

// Input is a source of records that can be read again from a cursor: a file
// (File) or a database table. The importer never opens anything itself; the
// command builds an Input and passes it in.
type Input interface {
	// Identity names what is read, for the resume fingerprint: kind and
	// place, e.g. `csv file /srv/users.csv` or
	// `postgres db.example:5432/crm table users key id`. Never a secret.
	Identity() string
	// Open starts a read. cursor is "" for the start, or a Record.Next
	// returned by an earlier read of this Input (possibly in an earlier
	// process). Open fails with an error matching ErrChanged when the input
	// changed before the cursor, and ErrCursor when the cursor is not one
	// of this Input's. The caller must Close the Reader.
	Open(cursor string) (Reader, error)
	// Reread reads again the records with these IDs, in this order (retry
	// passes). A record that is no longer there comes back with Err set to
	// a *RecordError saying so.
	Reread(ids []string) (Reader, error)
	// Size is the end of the input in the unit of Record.Pos, or -1 when it
	// is not known.
	Size() int64
}

// SizeIsExact reports whether in's Size is exact (a file's bytes) rather
// than an estimate (a table's row count from the server's statistics,
// which MariaDB's InnoDB may have wrong by half).
func SizeIsExact(in Input) bool {
	_, ok := in.(*File)
	return ok
}

// ErrChanged means the input is not the one a cursor was taken from: bytes
// before it changed, or the input shrank or was replaced.
var ErrChanged = errors.New("the input changed")

// ErrCursor means a cursor was not made by this Input.
var ErrCursor = errors.New("invalid cursor")
