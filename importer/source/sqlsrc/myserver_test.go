package sqlsrc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
)

// startMariaDB starts a MariaDB server in dir from Debian's mariadb-server
// package: mariadb-install-db, then mariadbd on a free port on 127.0.0.1
// and a socket in dir, with a user ciam (password testPassword) owning a
// database ciamtest whose default collation is utf8mb4_general_ci (case
// insensitive), so that byte order and the default order differ.
func startMariaDB(dir string, as *runAs) server {
	s := server{name: "mariadb"}
	installDB, err := exec.LookPath("mariadb-install-db")
	mariadbd := newestBinary("/usr/sbin/mariadbd")
	if err != nil || mariadbd == "" {
		s.missing = "MariaDB server binaries not found (mariadb-install-db, /usr/sbin/mariadbd): run .ci/databases.sh"
		return s
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	args := []string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"}
	if as != nil {
		args = append(args, "--user="+as.name)
	}
	if err = as.mkdir(dir); err == nil {
		err = run(exec.Command(installDB, args...))
	}
	if err != nil {
		s.missing = "FAILED: " + err.Error()
		return s
	}
	port, err := freePort()
	if err != nil {
		s.missing = "FAILED: " + err.Error()
		return s
	}
	cmd := exec.Command(mariadbd, "--no-defaults", "--datadir="+data, "--socket="+sock, fmt.Sprintf("--port=%d", port),
		"--bind-address=127.0.0.1", "--skip-name-resolve", "--skip-log-bin", "--log-error="+filepath.Join(dir, "err.log"),
		"--pid-file="+filepath.Join(dir, "pid"), "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0",
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci")
	if as != nil {
		cmd.Args = append(cmd.Args, "--user="+as.name)
	}
	if err := cmd.Start(); err != nil {
		s.missing = "FAILED: start mariadbd: " + err.Error()
		return s
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.stop = func() { stopProcess(cmd, exited) }
	if err := mariaSetup(sock, exited); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "err.log"))
		s.stop()
		s.missing = fmt.Sprintf("FAILED: start mariadb: %v\n%s", err, log)
		return s
	}
	s.dsn = fmt.Sprintf("mysql://ciam@127.0.0.1:%d/ciamtest", port)
	return s
}

// stopProcess asks a server to stop, and kills it if it has not after 30 s.
func stopProcess(cmd *exec.Cmd, exited <-chan struct{}) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// mariaSetup waits for the server to accept root on the socket, then
// creates the test user and database.
func mariaSetup(sock string, exited <-chan struct{}) error {
	cfg := gomysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "unix", sock
	conn, err := gomysql.NewConnector(cfg)
	if err != nil {
		return err
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := waitFor(ctx, db.PingContext, exited); err != nil {
		return err
	}
	for _, st := range []string{
		"CREATE DATABASE ciamtest CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
		"CREATE USER 'ciam'@'%' IDENTIFIED BY '" + sqlQuote(testPassword) + "'",
		"GRANT ALL ON ciamtest.* TO 'ciam'@'%'",
	} {
		if _, err := db.ExecContext(ctx, st); err != nil {
			return errors.Join(fmt.Errorf("setup: %s", st), err)
		}
	}
	return nil
}

// myExec runs SQL statements on the test database as the test user.
func myExec(dsn string, stmts ...string) error {
	t, err := parseDSN(dsn)
	if err != nil {
		return err
	}
	mc, err := mysqlConfig(t, testPassword, 30*time.Second)
	if err != nil {
		return err
	}
	mc.MultiStatements = false
	conn, err := gomysql.NewConnector(mc)
	if err != nil {
		return err
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	for _, st := range stmts {
		if _, err := db.Exec(st); err != nil {
			return fmt.Errorf("%s: %w", st, err)
		}
	}
	return nil
}
