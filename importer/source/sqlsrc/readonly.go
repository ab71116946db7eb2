package sqlsrc

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

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

// readOnlyConnector opens connections whose session is read-only.
type readOnlyConnector struct{ driver.Connector }

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
	return conn, nil
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
