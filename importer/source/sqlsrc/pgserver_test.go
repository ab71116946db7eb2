package sqlsrc

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// startPostgres starts a PostgreSQL cluster in dir from Debian's
// postgresql package: initdb, then pg_ctl on a free port, listening on
// 127.0.0.1 only, with password (SCRAM) logins for the user postgres and a
// database ciamtest. The database's default collation is ICU's root locale,
// so that byte order (COLLATE "C") and the default order differ.
func startPostgres(dir string, as *runAs) server {
	s := server{name: "postgres"}
	initdb := newestBinary("/usr/lib/postgresql/*/bin/initdb")
	if initdb == "" {
		s.missing = "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run .ci/databases.sh"
		return s
	}
	bin := filepath.Dir(initdb)
	data, pwfile := filepath.Join(dir, "data"), filepath.Join(dir, "pw")
	if err := pgInit(as, initdb, dir, data, pwfile); err != nil {
		s.missing = "FAILED: " + err.Error()
		return s
	}
	port, err := freePort()
	if err == nil {
		err = run(as.command(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60",
			"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off "+
				"-c synchronous_commit=off -c shared_buffers=256MB", port, dir), "start"))
	}
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		s.missing = fmt.Sprintf("FAILED: start postgres: %v\n%s", err, log)
		return s
	}
	s.stop = func() {
		_ = run(as.command(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"))
	}
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres", port)
	if err := pgExec(admin, "CREATE DATABASE ciamtest"); err != nil {
		s.stop()
		s.missing = "FAILED: " + err.Error()
		return s
	}
	s.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/ciamtest?sslmode=disable", port)
	return s
}

// pgInit makes the cluster's data directory.
func pgInit(as *runAs, initdb, dir, data, pwfile string) error {
	if err := as.mkdir(dir); err != nil {
		return err
	}
	if err := os.WriteFile(pwfile, []byte(testPassword+"\n"), 0o600); err != nil {
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

// pgExec runs SQL statements on the server at dsn as the test user.
func pgExec(dsn string, stmts ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return err
	}
	cfg.Password = testPassword
	conn, err := pgconn.ConnectConfig(ctx, cfg)
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

// pgPort returns the port of a test DSN.
func pgPort(dsn string) int {
	u, _ := url.Parse(dsn)
	n, _ := strconv.Atoi(u.Port())
	return n
}

// pgQuery runs one query on the server at dsn and calls row for each row.
func pgQuery(dsn, q string, row func([][]byte)) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return err
	}
	cfg.Password = testPassword
	conn, err := pgconn.ConnectConfig(ctx, cfg)
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
