package sqlsrc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/source"
)

// rowFunc receives one row's values as the server printed them, nil for
// NULL. The slices are valid only during the call.
type rowFunc func(vals [][]byte) error

// backend is one server connection of one flavor.
type backend interface {
	describe(ctx context.Context) ([]column, error)
	setKey(cols []column, c keyClass)
	nullKey(ctx context.Context) (bool, error)
	estimate(ctx context.Context) (int64, error)
	page(ctx context.Context, after string, first bool, row rowFunc) error
	keys(ctx context.Context, keys []string, row rowFunc) error
	passed(ctx context.Context, key string) (n int64, sum uint64, err error)
	retryable(err error) bool
	close() error
}

// Source is a database table or query, read in key order. It implements
// source.Input. It holds no connection: every Reader opens its own and
// closes it on Close. Its methods are safe for concurrent use.
type Source struct {
	ctx      context.Context
	cfg      Config
	t        target
	password string
	cols     []column
	header   []string
	key      int // index of the key column in cols
	class    keyClass
	size     int64
	identity string
}

var _ source.Input = (*Source)(nil)

// Open connects to the database, checks what is to be read and disconnects.
// ctx bounds every later read of the Source, whose Readers fail once it is
// done. Open fails when the Config is incomplete, the DSN holds a password,
// the server cannot be reached or refuses the login, the table or query is
// not there, the result has two columns of one name (source.ErrHeader), a
// binary column (*ColumnError, ErrBinaryColumn), no key column, a key of
// another type than integer, text or uuid (ErrKeyType), or a NULL key
// (ErrNullKey). Errors never hold the password.
func Open(ctx context.Context, cfg Config) (*Source, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("open database source: %w", err)
	}
	t, err := parseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("open database source: %w", err)
	}
	pw, err := cfg.password()
	if err != nil {
		return nil, fmt.Errorf("open database source: %w", err)
	}
	s := &Source{ctx: ctx, cfg: cfg, t: t, password: pw}
	s.identity = s.makeIdentity()
	if err := s.inspect(); err != nil {
		return nil, fmt.Errorf("open %s: %w", s.name(), err)
	}
	return s, nil
}

// inspect describes the result, checks its columns and the key, and
// estimates the size, through a connection of its own.
func (s *Source) inspect() error {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
	defer cancel()
	be, err := s.dial()
	if err != nil {
		return err
	}
	defer be.close()
	if s.cols, err = be.describe(ctx); err != nil {
		return err
	}
	if err := s.checkColumns(); err != nil {
		return err
	}
	be.setKey(s.cols, s.class)
	null, err := be.nullKey(ctx)
	if err != nil {
		return err
	}
	if null {
		k := s.cols[s.key]
		return &ColumnError{Column: k.name, Type: k.typ, Err: fmt.Errorf("%w: the key column is NULL in some rows; "+
			"select only rows with a key (WHERE %s IS NOT NULL) or choose another key", ErrNullKey, k.name)}
	}
	s.size, err = be.estimate(ctx)
	return err
}

// checkColumns checks the described columns and finds the key.
func (s *Source) checkColumns() error {
	s.key = -1
	seen := make(map[string]bool, len(s.cols))
	for i, c := range s.cols {
		switch {
		case seen[c.name]:
			return fmt.Errorf("%w: duplicate column %q: give the columns distinct names (AS)", source.ErrHeader, c.name)
		case c.render == asBinary:
			return &ColumnError{Column: c.name, Type: c.typ, Err: fmt.Errorf("%w: it has no text form; "+
				"leave it out with a query that selects the other columns", ErrBinaryColumn)}
		case c.name == s.cfg.Key:
			s.key = i
		}
		seen[c.name] = true
		s.header = append(s.header, c.name)
	}
	if s.key < 0 {
		return fmt.Errorf("%w: no key column %q in the result", source.ErrHeader, s.cfg.Key)
	}
	k := s.cols[s.key]
	if k.key == "" {
		return &ColumnError{Column: k.name, Type: k.typ, Err: fmt.Errorf("%w: a key must be an integer, text or uuid", ErrKeyType)}
	}
	s.class = k.key
	return nil
}

// dial returns an unconnected backend for a new read.
func (s *Source) dial() (backend, error) {
	if s.t.flavor == postgres {
		return newPG(s.t, s.password, s.cfg)
	}
	return newMySQL(s.t, s.password, s.cfg)
}

// makeIdentity returns e.g. `postgres db.example:5432/crm table users key
// id` or `mysql db:3306/crm query sha256:1f2e... key id`: the server and
// database without user or password, the table or the query's hash, the key.
func (s *Source) makeIdentity() string {
	what := "table " + s.cfg.Table
	if s.cfg.Table == "" {
		h := sha256.Sum256([]byte(s.cfg.Query))
		what = "query sha256:" + hex.EncodeToString(h[:])
	}
	return s.t.flavor.String() + " " + s.t.place + " " + what + " key " + s.cfg.Key
}

// name is what errors and RecordError.File call the source: the server,
// database and table (or "query"), never the user or password.
func (s *Source) name() string {
	what := s.cfg.Table
	if what == "" {
		what = "query"
	}
	return s.t.flavor.String() + "://" + s.t.place + "/" + what
}

// Identity names the source for the resume fingerprint; see makeIdentity.
// It never holds a user name or password.
func (s *Source) Identity() string { return s.identity }

// Size is the server's estimate of the table's row count at Open (planner
// statistics: PostgreSQL pg_class.reltuples, MySQL information_schema
// TABLE_ROWS), in the unit of Record.Pos (rows); -1 for a query or a table
// never analyzed. Pos may pass it.
func (s *Source) Size() int64 { return s.size }

// Header returns the result's column names in result order, as found at
// Open: the names every Record's Fields has. The caller may modify it.
func (s *Source) Header() []string { return append([]string(nil), s.header...) }

// Key returns the key column's name and its class: "int", "text" or "uuid".
func (s *Source) Key() (column, class string) { return s.cfg.Key, string(s.class) }
