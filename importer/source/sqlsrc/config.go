package sqlsrc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"
)

// DefaultPasswordEnv is the environment variable the password is read from
// when Config.PasswordEnv is empty.
const DefaultPasswordEnv = "CIAM_IMPORT_DB_PASSWORD"

// Defaults for the zero Config fields.
const (
	DefaultPageSize = 1000
	DefaultTimeout  = time.Minute
	// maxPageSize bounds one page in memory (a page is held while it is read).
	maxPageSize = 100_000
	// rereadBatch is the number of keys per IN (...) query of Reread.
	rereadBatch = 500
)

// Config says what to read and how. DSN and Key are required, and exactly one
// of Table and Query.
type Config struct {
	// DSN is the database URL without a password:
	// postgres://user@host:5432/db?sslmode=require (scheme postgres or
	// postgresql; parameters as libpq and pgx read them), or
	// mysql://user@host:3306/db?tls=true (scheme mysql or mariadb; parameters
	// as go-sql-driver/mysql reads them; socket=/path connects through a Unix
	// socket). A DSN with a password is refused: it would show in ps and the
	// shell history.
	DSN string
	// PasswordFile, if set, is a file holding the password (one trailing
	// newline is dropped). It wins over PasswordEnv.
	PasswordFile string
	// PasswordEnv names the environment variable holding the password
	// (DefaultPasswordEnv when empty). An unset or empty variable means no
	// password (PostgreSQL may then use PGPASSWORD or ~/.pgpass).
	PasswordEnv string
	// Table is the table to read, optionally schema-qualified ("crm.users").
	Table string
	// Query is a SELECT whose rows are read instead of a table. It is wrapped
	// as a subquery: SELECT * FROM (Query) AS q WHERE key > ... ORDER BY key.
	Query string
	// Key is the column the read is ordered and resumed by: unique, never
	// NULL, of an integer, text or uuid type. Its value is each Record's ID.
	Key string
	// PageSize is the number of rows per query (DefaultPageSize when 0).
	PageSize int
	// Timeout bounds connecting and each query (one page, one Reread batch),
	// not the time the caller takes between records. DefaultTimeout when 0.
	Timeout time.Duration
}

// withDefaults checks c and fills in the defaults.
func (c Config) withDefaults() (Config, error) {
	c.Query = trimQuery(c.Query)
	switch {
	case c.DSN == "":
		return c, errors.New("no DSN")
	case c.Table == "" && c.Query == "":
		return c, errors.New("neither a table nor a query")
	case c.Table != "" && c.Query != "":
		return c, errors.New("both a table and a query: give one")
	case c.Key == "":
		return c, errors.New("no key column")
	case c.PageSize < 0 || c.PageSize > maxPageSize:
		return c, fmt.Errorf("page size %d is not in 1..%d", c.PageSize, maxPageSize)
	case c.Timeout < 0:
		return c, fmt.Errorf("negative timeout %v", c.Timeout)
	}
	if c.PageSize == 0 {
		c.PageSize = DefaultPageSize
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.PasswordEnv == "" {
		c.PasswordEnv = DefaultPasswordEnv
	}
	return c, nil
}

// password returns the password from PasswordFile or PasswordEnv; "" if none.
// Errors name the file, never its content.
func (c Config) password() (string, error) {
	if c.PasswordFile != "" {
		b, err := os.ReadFile(c.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("read password file: %w", err)
		}
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if len(b) == 0 {
			return "", fmt.Errorf("read password file %s: it is empty", c.PasswordFile)
		}
		return string(b), nil
	}
	return os.Getenv(c.PasswordEnv), nil
}
