package sqltest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
)

// StartMariaDB starts a MariaDB server in dir from Debian's mariadb-server
// package: mariadb-install-db, then mariadbd on a free port on 127.0.0.1
// and a socket in dir, with a user ciam (password Password) owning a
// database ciamtest whose default collation is utf8mb4_general_ci (case
// insensitive), so that byte order and the default order differ.
func StartMariaDB(dir string, as *RunAs) Server {
	s := Server{Name: "mariadb"}
	installDB, err := exec.LookPath("mariadb-install-db")
	mariadbd := newestBinary("/usr/sbin/mariadbd")
	if err != nil || mariadbd == "" {
		s.Missing = "MariaDB server binaries not found (mariadb-install-db, /usr/sbin/mariadbd): run .ci/databases.sh"
		return s
	}
	data, sock, tmp := filepath.Join(dir, "data"), filepath.Join(dir, "sock"), filepath.Join(dir, "tmp")
	// A tmpdir of its own: servers installed side by side in /tmp clash on
	// their temporary tables ("Could not remove temporary table", seen
	// under load when two tests started MariaDB at once).
	args := []string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db", "--tmpdir=" + tmp}
	if as != nil {
		args = append(args, "--user="+as.name)
	}
	if err = as.mkdir(dir); err == nil {
		err = as.mkdir(tmp)
	}
	if err == nil {
		err = run(exec.Command(installDB, args...))
	}
	if err != nil {
		s.Missing = "FAILED: " + err.Error()
		return s
	}
	var port int
	for attempt := 1; ; attempt++ {
		var retry bool
		if port, retry = startMariaDB(&s, as, dir, data, sock, mariadbd); s.Stop != nil || !retry || attempt == portAttempts {
			break
		}
	}
	if s.Stop == nil {
		return s
	}
	s.DSN = fmt.Sprintf("mysql://ciam@127.0.0.1:%d/ciamtest", port)
	return s
}

// startMariaDB makes one attempt at starting mariadbd on a free port, as a
// child that dies with this process, run as the account by Go rather than
// by its --user (a credential switch clears the death signal). On
// success s.Stop is set; otherwise s.Missing says why, and retry says
// whether the port was taken meanwhile, so another port may work.
func startMariaDB(s *Server, as *RunAs, dir, data, sock, mariadbd string) (port int, retry bool) {
	port, err := freePort()
	if err != nil {
		s.Missing = "FAILED: " + err.Error()
		return 0, false
	}
	cmd := as.command(mariadbd, "--no-defaults", "--datadir="+data, "--tmpdir="+filepath.Join(dir, "tmp"), "--socket="+sock, fmt.Sprintf("--port=%d", port),
		"--bind-address=127.0.0.1", "--skip-name-resolve", "--skip-log-bin", "--log-error="+filepath.Join(dir, "err.log"),
		"--pid-file="+filepath.Join(dir, "pid"), "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0",
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci")
	srv, err := start(cmd, filepath.Join(dir, "out.log"))
	if err != nil {
		s.Missing = "FAILED: " + err.Error()
		return 0, false
	}
	if err := mariaSetup(sock, srv.exited); err != nil {
		srv.stop(syscall.SIGTERM)
		log, _ := os.ReadFile(filepath.Join(dir, "err.log"))
		s.Missing = fmt.Sprintf("FAILED: start mariadb: %v\n%s", err, log)
		return 0, portTaken(log)
	}
	s.Stop, s.Missing = func() { srv.stop(syscall.SIGTERM) }, ""
	return port, false
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
		"CREATE USER 'ciam'@'%' IDENTIFIED BY '" + Quote(Password) + "'",
		"GRANT ALL ON ciamtest.* TO 'ciam'@'%'",
	} {
		if _, err := db.ExecContext(ctx, st); err != nil {
			return errors.Join(fmt.Errorf("setup: %s", st), err)
		}
	}
	return nil
}

// MyDB opens a database/sql handle on the MariaDB or MySQL server at dsn
// (mysql://user@host:port/db) with Password. Its Config allows
// LOAD DATA LOCAL INFILE 'Reader::name' for readers registered with
// gomysql.RegisterReaderHandler.
func MyDB(dsn string) (*sql.DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	cfg := gomysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr = u.User.Username(), Password, "tcp", u.Host
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	cfg.Timeout, cfg.Params = 30*time.Second, map[string]string{"time_zone": "'+00:00'"}
	conn, err := gomysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

// MyExec runs SQL statements, one at a time, on the server at dsn.
func MyExec(dsn string, stmts ...string) error {
	db, err := MyDB(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, st := range stmts {
		if _, err := db.Exec(st); err != nil {
			return fmt.Errorf("%s: %w", st, err)
		}
	}
	return nil
}

// Quote doubles the single quotes and backslashes of a string literal.
func Quote(s string) string {
	return strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(s)
}
