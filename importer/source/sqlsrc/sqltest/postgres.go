package sqltest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// StartPostgres starts a PostgreSQL cluster in dir from Debian's
// postgresql package: initdb, then the postmaster on a free port, as a
// child that dies with this process (see pgStart), listening on
// 127.0.0.1 only, with password (SCRAM) logins for the user postgres and a
// database ciamtest. The database's default collation is ICU's root locale,
// so that byte order (COLLATE "C") and the default order differ. Durability
// is off (fsync, full-page writes, synchronous commit): the cluster is
// thrown away.
func StartPostgres(dir string, as *RunAs) Server {
	s := Server{Name: "postgres"}
	initdb := newestBinary("/usr/lib/postgresql/*/bin/initdb")
	if initdb == "" {
		s.Missing = "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run .ci/databases.sh"
		return s
	}
	bin := filepath.Dir(initdb)
	data, pwfile := filepath.Join(dir, "data"), filepath.Join(dir, "pw")
	if err := pgInit(as, initdb, dir, data, pwfile); err != nil {
		s.Missing = "FAILED: " + err.Error()
		return s
	}
	var (
		port int
		srv  *started
	)
	for attempt := 1; ; attempt++ {
		var retry bool
		if port, srv, retry = pgStart(&s, as, bin, dir, data); srv != nil || !retry || attempt == portAttempts {
			break
		}
	}
	if srv == nil {
		return s
	}
	s.Stop = func() { srv.stop(syscall.SIGQUIT) } // immediate shutdown: the cluster is thrown away
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres", port)
	if err := PGExec(admin, "CREATE DATABASE ciamtest"); err != nil {
		s.Stop()
		s.Stop = nil
		s.Missing = "FAILED: " + err.Error()
		return s
	}
	s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/ciamtest?sslmode=disable", port)
	return s
}

// pgStart makes one attempt at starting the postmaster on a free port, as
// a child of this process (no pg_ctl, which would detach it) that dies with
// it; its backends exit when it dies. It returns the server once it accepts
// logins; otherwise s.Missing says why, and retry says whether the port was
// taken meanwhile, so another port may work.
func pgStart(s *Server, as *RunAs, bin, dir, data string) (port int, srv *started, retry bool) {
	port, err := freePort()
	if err != nil {
		s.Missing = "FAILED: " + err.Error()
		return 0, nil, false
	}
	log := filepath.Join(dir, "log")
	srv, err = start(as.command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
		"-c", "synchronous_commit=off", "-c", "shared_buffers=256MB"), log)
	if err != nil {
		s.Missing = "FAILED: " + err.Error()
		return 0, nil, false
	}
	ready := func(ctx context.Context) error {
		conn, err := pgConnect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?connect_timeout=5", port))
		if err == nil {
			err = conn.Close(ctx)
		}
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := waitFor(ctx, ready, srv.exited); err != nil {
		srv.stop(syscall.SIGQUIT)
		out, _ := os.ReadFile(log)
		s.Missing = fmt.Sprintf("FAILED: start postgres: %v\n%s", err, out)
		return 0, nil, portTaken(out)
	}
	s.Missing = ""
	return port, srv, false
}

// pgInit makes the cluster's data directory.
func pgInit(as *RunAs, initdb, dir, data, pwfile string) error {
	if err := as.mkdir(dir); err != nil {
		return err
	}
	if err := os.WriteFile(pwfile, []byte(Password+"\n"), 0o600); err != nil {
		return err
	}
	if as != nil {
		if err := os.Chown(pwfile, int(as.uid), int(as.gid)); err != nil {
			return err
		}
	}
	return run(as.command(initdb, "-D", data, "-U", "postgres", "--pwfile="+pwfile, "-A", "scram-sha-256",
		"-E", "UTF8", "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=und", "--no-sync", "--no-instructions"))
}

// pgConnect connects to dsn with Password.
func pgConnect(ctx context.Context, dsn string) (*pgconn.PgConn, error) {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.Password = Password
	return pgconn.ConnectConfig(ctx, cfg)
}

// PGExec runs SQL statements, one at a time, on the server at dsn.
func PGExec(dsn string, stmts ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // VACUUM of a large table
	defer cancel()
	conn, err := pgConnect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, st := range stmts {
		if _, err := conn.Exec(ctx, st).ReadAll(); err != nil {
			return fmt.Errorf("%s: %w", st, err)
		}
	}
	return nil
}

// PGQuery runs one query on the server at dsn and calls row for each row
// (text values, nil for NULL, valid only during the call).
func PGQuery(dsn, q string, row func([][]byte)) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgConnect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rr := conn.ExecParams(ctx, q, nil, nil, nil, nil)
	for rr.NextRow() {
		row(rr.Values())
	}
	_, err = rr.Close()
	return err
}

// PGCopy runs copy, a COPY ... FROM STDIN statement, with r as its input,
// and returns the number of rows copied.
func PGCopy(dsn, copy string, r io.Reader) (int64, error) {
	ctx := context.Background()
	conn, err := pgConnect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	tag, err := conn.CopyFrom(ctx, r, copy)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", copy, err)
	}
	return tag.RowsAffected(), nil
}
