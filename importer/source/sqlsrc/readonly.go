package sqlsrc

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
)

// The sessions are read-only on both engines. A --query is wrapped as a
// subquery, so it is one SELECT; but a function it calls could write, or
// lift the session's read-only default for the queries after it (PostgreSQL's
// set_config('default_transaction_read_only', 'off', false)). So the
// default is set again before every query: each query is its own
// transaction, which starts read-only, and within it read-write mode can no
// longer be set. A read-only database user is still the advice (docs).

// readOnlySQL makes the session's next transactions read-only.
const readOnlySQL = "SET SESSION TRANSACTION READ ONLY"

// pgReadOnly makes conn's next transactions read-only.
func pgReadOnly(ctx context.Context, conn *pgconn.PgConn) error {
	if _, err := conn.Exec(ctx, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY").ReadAll(); err != nil {
		return fmt.Errorf("set the session read-only: %w", err)
	}
	return nil
}

// readOnlyConnector opens connections whose session is read-only, and
// records the server's id of the last one (the pool holds one), so that a
// query cancelled by its context can be killed on the server (killQuery).
type readOnlyConnector struct {
	driver.Connector
	id *atomic.Uint64 // CONNECTION_ID() of the last connection; 0: unknown
}

// Connect opens a connection and makes its session read-only.
func (c readOnlyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("set the session read-only: the driver cannot execute a statement")
	}
	if _, err := ex.ExecContext(ctx, readOnlySQL, nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("set the session read-only: %w", err)
	}
	if c.id != nil {
		c.id.Store(connectionID(ctx, conn))
	}
	return conn, nil
}

// connectionID is the server's id of conn, or 0.
func connectionID(ctx context.Context, conn driver.Conn) uint64 {
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		return 0
	}
	rows, err := q.QueryContext(ctx, "SELECT CONNECTION_ID()", nil)
	if err != nil {
		return 0
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if rows.Next(v) != nil {
		return 0
	}
	switch id := v[0].(type) {
	case int64:
		return uint64(id)
	case []byte:
		n, _ := strconv.ParseUint(string(id), 10, 64)
		return n
	}
	return 0
}

// killQuery stops, from a connection of its own, the statement the last
// connection runs: when a query's context is cancelled (a signal), the
// driver only drops its connection, and the server would go on with the
// query. Best effort, bounded by closeTimeout.
func (c readOnlyConnector) killQuery() {
	id := c.id.Load()
	if id == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if ex, ok := conn.(driver.ExecerContext); ok {
		_, _ = ex.ExecContext(ctx, "KILL QUERY "+strconv.FormatUint(id, 10), nil)
	}
}

// refuseMultiStatements refuses a MySQL URL that would let one query run
// several statements.
func refuseMultiStatements(params map[string][]string) error {
	for name, v := range params {
		if strings.EqualFold(name, "multiStatements") && !(len(v) == 1 && strings.EqualFold(v[0], "false")) {
			return errors.New("parse DSN: multiStatements is refused: a query is one SELECT, in a read-only session")
		}
	}
	return nil
}
