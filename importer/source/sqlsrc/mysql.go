package sqlsrc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/ciam-import/ciam-import/importer/source"
)

// closeTimeout bounds closing a connection.
const closeTimeout = 5 * time.Second

// myBinary are the MySQL types with no text form.
var myBinary = map[string]bool{
	"BLOB": true, "TINYBLOB": true, "MEDIUMBLOB": true, "LONGBLOB": true, "BINARY": true,
	"VARBINARY": true, "BIT": true, "GEOMETRY": true, "VECTOR": true,
}

// myText are the MySQL character types a key may have.
var myText = map[string]bool{
	"CHAR": true, "VARCHAR": true, "TEXT": true, "TINYTEXT": true, "MEDIUMTEXT": true, "LONGTEXT": true,
}

// myBackend reads through a one-connection database/sql pool, which
// reconnects by itself. Parameters are interpolated by the driver, so every
// query uses the text protocol: values come as the server prints them.
type myBackend struct {
	db     *sql.DB
	conn   readOnlyConnector // to kill a cancelled query from a connection of its own
	st     statements
	class  keyClass
	expect []column
}

// newMySQL opens (lazily) a connection pool of one to t, with the session
// in UTC and utf8mb4.
func newMySQL(t target, password string, cfg Config) (*myBackend, error) {
	mc, err := mysqlConfig(t, password, cfg.Timeout)
	if err != nil {
		return nil, err
	}
	conn, err := gomysql.NewConnector(mc)
	if err != nil {
		return nil, fmt.Errorf("parse DSN: %w", err)
	}
	ro := readOnlyConnector{Connector: conn, id: new(atomic.Uint64)}
	db := sql.OpenDB(ro)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	return &myBackend{db: db, conn: ro, st: newStatements(mysql, cfg)}, nil
}

// mysqlConfig turns the URL into the driver's Config. URL parameters are
// the driver's DSN parameters; socket=/path selects a Unix socket.
func mysqlConfig(t target, password string, timeout time.Duration) (*gomysql.Config, error) {
	q := t.url.Query()
	if err := refuseMultiStatements(q); err != nil {
		return nil, err
	}
	addr := "tcp(" + hostPort(t.url.Host, mysql) + ")"
	if s := q.Get("socket"); s != "" {
		addr = "unix(" + s + ")"
		q.Del("socket")
	}
	q.Set("charset", "utf8mb4")
	mc, err := gomysql.ParseDSN("@" + addr + "/" + strings.Trim(t.url.Path, "/") + "?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("parse DSN: %w", err)
	}
	mc.User, mc.Passwd = t.user(), password
	mc.InterpolateParams, mc.ParseTime, mc.MultiStatements = true, false, false
	mc.Timeout = timeout
	if mc.Params == nil {
		mc.Params = map[string]string{}
	}
	mc.Params["time_zone"] = "'+00:00'"
	return mc, nil
}

// describe returns the result's columns from a query with LIMIT 0.
func (b *myBackend) describe(ctx context.Context) ([]column, error) {
	rows, err := b.db.QueryContext(ctx, b.st.describe())
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	cols := make([]column, len(types))
	for i, ct := range types {
		cols[i] = myColumn(ct.Name(), ct.DatabaseTypeName())
	}
	return cols, rows.Close()
}

// myColumn classifies a column by the driver's type name.
func myColumn(name, typ string) column {
	c := column{name: name, typ: typ}
	switch {
	case myBinary[typ]:
		c.render = asBinary
	case typ == "DATETIME":
		c.render = asLocal
	case typ == "TIMESTAMP":
		c.render = asInstant
	case myText[typ]:
		c.key = keyText
	case strings.HasSuffix(typ, "INT"):
		c.key = keyInt
	}
	return c
}

// setKey fixes the expected columns and the key's class for the queries.
func (b *myBackend) setKey(cols []column, c keyClass) {
	b.expect, b.st, b.class = cols, b.st.ordered(c), c
}

// nullKey reports whether a row has a NULL key.
func (b *myBackend) nullKey(ctx context.Context) (bool, error) {
	var found bool
	err := b.db.QueryRowContext(ctx, b.st.nullKey()).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("query: %w", err)
	}
	return found, nil
}

// estimate returns information_schema's row count of the table, or -1.
func (b *myBackend) estimate(ctx context.Context) (int64, error) {
	if b.st.table == "" {
		return -1, nil
	}
	schema, table, ok := strings.Cut(b.st.table, ".")
	if !ok {
		schema, table = "", schema
	}
	unq := func(s string) string { return strings.ReplaceAll(strings.Trim(s, "`"), "``", "`") }
	var n sql.NullInt64
	err := b.db.QueryRowContext(ctx, "SELECT TABLE_ROWS FROM information_schema.TABLES "+
		"WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ?", unq(schema), unq(table)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !n.Valid {
		return -1, nil
	}
	if err != nil {
		return -1, fmt.Errorf("query: %w", err)
	}
	return n.Int64, nil
}

// page calls row for each row of the next page, after the key (from the
// start when first).
func (b *myBackend) page(ctx context.Context, after string, first bool, row rowFunc) error {
	var args []any
	if !first {
		args = []any{b.arg(after)}
	}
	return b.query(ctx, b.st.page(first), args, row)
}

// keys calls row for each row whose key is one of keys.
func (b *myBackend) keys(ctx context.Context, keys []string, row rowFunc) error {
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = b.arg(k)
	}
	return b.query(ctx, b.st.keys(len(keys)), args, row)
}

// arg is a key as a query argument: integers as numbers, so that MySQL
// compares them as integers and not as floating point, text as text.
func (b *myBackend) arg(key string) any {
	if b.class == keyInt {
		if n, err := strconv.ParseInt(key, 10, 64); err == nil {
			return n
		}
		if n, err := strconv.ParseUint(key, 10, 64); err == nil {
			return n
		}
	}
	return key
}

// query runs q and calls row with each row's raw text values (nil for NULL).
func (b *myBackend) query(ctx context.Context, q string, args []any, row rowFunc) error {
	defer b.killOnCancel(ctx)()
	rows, err := b.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	if err := b.checkColumns(rows); err != nil {
		return err
	}
	raw := make([]sql.RawBytes, len(b.expect))
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	vals := make([][]byte, len(raw))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("query: %w", err)
		}
		for i, v := range raw {
			vals[i] = v
		}
		if err := row(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return rows.Close()
}

// killOnCancel kills the running query on the server once ctx is done
// (the driver only drops its connection, and the server would go on); the
// function it returns, deferred by the query, waits for a kill under way,
// so the process does not exit before the server was told.
func (b *myBackend) killOnCancel(ctx context.Context) func() {
	killed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(killed)
		b.conn.killQuery()
	})
	return func() {
		if !stop() {
			<-killed
		}
	}
}

// checkColumns fails with ErrChanged when the result's columns are not the
// ones described at Open.
func (b *myBackend) checkColumns(rows *sql.Rows) error {
	types, err := rows.ColumnTypes()
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	same := len(types) == len(b.expect)
	for i := 0; same && i < len(types); i++ {
		same = types[i].Name() == b.expect[i].name && types[i].DatabaseTypeName() == b.expect[i].typ
	}
	if !same {
		return fmt.Errorf("%w: the result's columns or their types changed since the read began", source.ErrChanged)
	}
	return nil
}

// retryable reports whether err lost the connection.
func (b *myBackend) retryable(err error) bool {
	var ne net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, gomysql.ErrInvalidConn) || errors.As(err, &ne)
}

// close closes the pool.
func (b *myBackend) close() error { return b.db.Close() }
