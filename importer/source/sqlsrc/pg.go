package sqlsrc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ciam-import/ciam-import/importer/source"
)

// PostgreSQL type OIDs that are not read as they are printed.
const (
	oidBool        = 16
	oidBytea       = 17
	oidByteaArray  = 1001
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
)

// pgKeys are the PostgreSQL types a key may have.
var pgKeys = map[uint32]keyClass{
	20: keyInt, 21: keyInt, 23: keyInt, // int8, int2, int4
	25: keyText, 1043: keyText, 1042: keyText, 19: keyText, // text, varchar, bpchar, name
	2950: keyUUID,
}

// pgTypes names the built-in types, for messages.
var pgTypes = pgtype.NewMap()

// pgBackend reads through one PostgreSQL connection, made again when lost.
// Every query uses the extended protocol with text results, so values come
// exactly as the server prints them, and one statement per query.
type pgBackend struct {
	cfg    *pgconn.Config
	conn   *pgconn.PgConn
	stmts  map[bool]*pgconn.StatementDescription // the page queries prepared on conn, by first
	st     statements
	expect []column
}

// newPG configures (but does not open) a connection to t. The session is
// read-only, in UTC, with ISO dates and UTF-8 text.
// pgCancelGrace is how long a cancelled query may take to stop on the
// server before its connection is dropped.
const pgCancelGrace = 2 * time.Second

func newPG(t target, password string, cfg Config) (*pgBackend, error) {
	pc, err := pgconn.ParseConfig(t.url.String())
	if err != nil {
		return nil, fmt.Errorf("parse DSN: %w", err)
	}
	if password != "" {
		pc.Password = password
	}
	pc.ConnectTimeout = cfg.Timeout
	// A cancelled context (a signal) cancels the query on the server too,
	// then drops the connection if the server does not answer.
	pc.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: pgCancelGrace}
	}
	for k, v := range map[string]string{
		"DateStyle": "ISO, YMD", "TimeZone": "UTC", "client_encoding": "UTF8",
		"default_transaction_read_only": "on", "IntervalStyle": "iso_8601",
	} {
		pc.RuntimeParams[k] = v
	}
	if pc.RuntimeParams["application_name"] == "" {
		pc.RuntimeParams["application_name"] = "ciam-import"
	}
	return &pgBackend{cfg: pc, st: newStatements(postgres, cfg)}, nil
}

// connection returns the open connection, connecting if there is none.
func (b *pgBackend) connection(ctx context.Context) (*pgconn.PgConn, error) {
	if b.conn != nil && !b.conn.IsClosed() {
		return b.conn, nil
	}
	conn, err := pgconn.ConnectConfig(ctx, b.cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	b.conn, b.stmts = conn, map[bool]*pgconn.StatementDescription{}
	return conn, nil
}

// describe returns the result's columns without running the query.
func (b *pgBackend) describe(ctx context.Context) ([]column, error) {
	conn, err := b.connection(ctx)
	if err != nil {
		return nil, err
	}
	sd, err := conn.Prepare(ctx, "", b.st.describe(), nil)
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	cols := make([]column, len(sd.Fields))
	for i, f := range sd.Fields {
		cols[i] = pgColumn(f.Name, f.DataTypeOID)
	}
	return cols, nil
}

// pgColumn classifies a column by its type OID.
func pgColumn(name string, oid uint32) column {
	c := column{name: name, oid: oid, typ: "oid " + strconv.FormatUint(uint64(oid), 10), key: pgKeys[oid]}
	if t, ok := pgTypes.TypeForOID(oid); ok {
		c.typ = t.Name
	}
	switch oid {
	case oidBool:
		c.render = asBool
	case oidBytea, oidByteaArray:
		c.render = asBinary
	case oidTimestamp:
		c.render = asLocal
	case oidTimestampTZ:
		c.render = asInstant
	}
	return c
}

// setKey fixes the expected columns and the key's class for the queries.
func (b *pgBackend) setKey(cols []column, c keyClass) { b.expect, b.st = cols, b.st.ordered(c) }

// nullKey reports whether a row has a NULL key.
func (b *pgBackend) nullKey(ctx context.Context) (bool, error) {
	var found bool
	err := b.query(ctx, b.st.nullKey(), nil, false, func(v [][]byte) error {
		found = string(v[0]) == "t"
		return nil
	})
	return found, err
}

// estimate returns the planner's row count of the table, or -1.
func (b *pgBackend) estimate(ctx context.Context) (int64, error) {
	n := int64(-1)
	if b.st.table == "" {
		return n, nil
	}
	q := "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)"
	err := b.query(ctx, q, [][]byte{[]byte(b.st.table)}, false, func(v [][]byte) error {
		if v[0] != nil {
			n, _ = strconv.ParseInt(string(v[0]), 10, 64)
		}
		return nil
	})
	return max(n, -1), err
}

// page calls row for each row of the next page, after the key (from the
// start when first).
func (b *pgBackend) page(ctx context.Context, after string, first bool, row rowFunc) error {
	var params [][]byte
	if !first {
		params = [][]byte{[]byte(after)}
	}
	conn, err := b.connection(ctx)
	if err != nil {
		return err
	}
	if err := pgReadOnly(ctx, conn); err != nil {
		return err
	}
	sd := b.stmts[first]
	if sd == nil {
		name := "sqlsrc_page_" + strconv.FormatBool(first)
		if sd, err = conn.Prepare(ctx, name, b.st.page(first), nil); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		if err := b.checkFields(sd.Fields); err != nil {
			return err
		}
		b.stmts[first] = sd
	}
	return b.rows(conn.ExecPrepared(ctx, sd.Name, params, nil, nil), false, row)
}

// keys calls row for each row whose key is one of keys.
func (b *pgBackend) keys(ctx context.Context, keys []string, row rowFunc) error {
	params := make([][]byte, len(keys))
	for i, k := range keys {
		params[i] = []byte(k)
	}
	return b.query(ctx, b.st.keys(len(keys)), params, true, row)
}

// query runs q with text params (their types inferred by the server) and
// text results; check compares the result's columns with the expected ones.
func (b *pgBackend) query(ctx context.Context, q string, params [][]byte, check bool, row rowFunc) error {
	conn, err := b.connection(ctx)
	if err != nil {
		return err
	}
	if err := pgReadOnly(ctx, conn); err != nil {
		return err
	}
	return b.rows(conn.ExecParams(ctx, q, params, nil, nil, nil), check, row)
}

// rows calls row for each row of rr; check compares the result's columns
// with the expected ones first.
func (b *pgBackend) rows(rr *pgconn.ResultReader, check bool, row rowFunc) error {
	if check {
		if err := b.checkFields(rr.FieldDescriptions()); err != nil {
			rr.Close()
			return err
		}
	}
	for rr.NextRow() {
		if err := row(rr.Values()); err != nil {
			rr.Close()
			return err
		}
	}
	if _, err := rr.Close(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "0A000" && strings.Contains(pe.Message, "result type") {
			return fmt.Errorf("%w: %w", source.ErrChanged, err) // "cached plan must not change result type"
		}
		return fmt.Errorf("query: %w", err)
	}
	return nil
}

// checkFields fails with ErrChanged when the result's columns are not the
// ones described at Open.
func (b *pgBackend) checkFields(fds []pgconn.FieldDescription) error {
	if len(fds) == 0 {
		return nil // the query failed; Close returns why
	}
	same := len(fds) == len(b.expect)
	for i := 0; same && i < len(fds); i++ {
		same = fds[i].Name == b.expect[i].name && fds[i].DataTypeOID == b.expect[i].oid
	}
	if !same {
		return fmt.Errorf("%w: the result's columns or their types changed since the read began", source.ErrChanged)
	}
	return nil
}

// retryable reports whether err lost the connection, so that the query may
// run again on a new one.
func (b *pgBackend) retryable(err error) bool {
	return b.conn == nil || b.conn.IsClosed() || pgconn.SafeToRetry(err)
}

// close closes the connection.
func (b *pgBackend) close() error {
	if b.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return b.conn.Close(ctx)
}
