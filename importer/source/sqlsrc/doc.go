// Package sqlsrc reads the legacy users table straight from PostgreSQL
// (github.com/jackc/pgx/v5) or MySQL/MariaDB (github.com/go-sql-driver/mysql)
// as a source.Input: `--input postgres://…` or `--input mysql://…`.
//
// # Reading by key
//
// A Source reads a table, or the rows of a SELECT wrapped as a subquery,
// in pages ordered by a key column (keyset pagination, never OFFSET):
//
//	SELECT * FROM users AS q WHERE q.id > $last ORDER BY q.id LIMIT page+1
//
// Memory is bounded by three pages whatever the table's size: a fetcher
// goroutine reads the next page while the caller works through the current
// one. A page is held as the server's text in one buffer, and each record
// is made when the caller reads it, so that large pages cost the garbage
// collector little. The connection is idle between pages, so a caller that takes
// days (the CIAM quota) holds no long query or transaction open. Each page
// has a timeout of its own (Config.Timeout), and a page whose connection
// was lost is read again, once, on a new connection.
//
// The key must be unique and never NULL, of an integer, text (char,
// varchar, text) or PostgreSQL uuid type. Text keys are ordered and compared
// by their bytes, so that ORDER BY, the > of the next page and this
// package's own order check agree whatever the column's collation:
// COLLATE "C" in PostgreSQL, CAST(CONVERT(key USING utf8mb4) AS BINARY) in
// MySQL and MariaDB (whose default _ci collations call 'a' and 'A' equal,
// which would skip rows). On a large table with a text key this expression
// needs an index of its own to be fast, e.g. in PostgreSQL
// CREATE INDEX ON users (login COLLATE "C"); an integer key (the usual
// legacy id) uses the primary key index as it is. Open refuses a NULL key;
// a key seen twice (equal consecutive keys, found also across a page
// boundary through the page's extra row) stops the read with a
// *DuplicateKeyError naming the key column and value, since a keyset read
// would skip the second row. Keys that come out of order stop it with
// ErrKeyOrder.
//
// # Records
//
// Record.ID is the key as text; Line and Pos are the row's 1-based ordinal
// in the whole read (a resumed read goes on with the cursor's ordinal), and
// Size is the server's row-count estimate (-1 for a query). Offset, End and
// EndLine, which are byte positions in files, are 0. Fields maps every
// column of the result (Header, in result order) to a string:
//
//	NULL                              ""  (like an empty CSV cell)
//	text, varchar, char, enum, json   as stored
//	integer, numeric/decimal, float   as the server prints them (text protocol:
//	                                  no float64 rounding; 30-digit numerics exact)
//	boolean (PostgreSQL)              true / false
//	TINYINT(1)/BOOLEAN (MySQL)        1 / 0 (MySQL has no boolean type)
//	date                              2006-01-02
//	timestamp / DATETIME (no zone)    2006-01-02T15:04:05[.999999]  (layout of the
//	                                  mapping's date transform, with its zone)
//	timestamptz / TIMESTAMP           2006-01-02T15:04:05[.999999]Z: RFC 3339 in UTC
//	                                  (the session runs in UTC)
//	uuid, time, interval, arrays      as the server prints them (ISO styles)
//	bytea, BLOB, BINARY, VARBINARY,   refused at Open (*ColumnError wrapping
//	BIT, GEOMETRY                     ErrBinaryColumn, naming the column): select
//	                                  the other columns with a Query
//
// Values that are not dates in this form (infinity, BC dates, MySQL's zero
// date) are passed as printed, for the mapping to reject. A value that is
// not valid UTF-8 makes the record malformed (source.ErrInvalidUTF8).
//
// # Cursors and resuming
//
// Record.Next is "sqlsrc:2:<ordinal>:<checksum>:<int|text|uuid>:<key>",
// e.g. "sqlsrc:2:1234:0f3a9c2e11d04b7a:int:1000042": the ordinal is the
// number of rows passed, the checksum the sum of a hash of their keys
// (order-independent). Source.Open(cursor) first counts and sums, on the
// server, the rows with keys up to the cursor's: a difference means rows
// were inserted or deleted behind the cursor, which the resumed read would
// never see, and refuses the resume (source.ErrChanged, saying what
// changed). A delete plus an insert keeps the count but not the checksum.
// Then it reads the rows whose key is greater than the cursor's. Between
// runs, rows inserted with greater keys are read; rows changed in place
// behind the cursor are not seen again (what was read stays read). Rows
// changed ahead of the cursor are read as they are then. A cursor for a key
// of another type is source.ErrChanged, and so is a read whose result
// columns differ (name or type) from those at Open. Cursors of version 1
// ("sqlsrc:1:<ordinal>:<class>:<key>", no checksum) are still read; their
// resume checks the count only.
//
// Identity is the flavor, host:port/database without user or password, the
// table (or the SHA-256 of the query text) and the key column, so a changed
// query refuses to resume like a changed file.
//
// # Credentials
//
// The password is never in the DSN (Open refuses one there): it comes from
// Config.PasswordFile or the environment variable Config.PasswordEnv
// (DefaultPasswordEnv, CIAM_IMPORT_DB_PASSWORD). It never appears in
// errors, Identity or records. PostgreSQL sessions are read-only
// (default_transaction_read_only); the package only ever runs SELECT.
package sqlsrc
