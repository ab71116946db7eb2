package sqlsrc

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// flavor is the kind of database server.
type flavor int

const (
	postgres flavor = iota + 1
	mysql
)

// String returns the flavor's name as Identity shows it.
func (f flavor) String() string {
	if f == postgres {
		return "postgres"
	}
	return "mysql"
}

// target is a parsed DSN: the server and database, and no password.
type target struct {
	flavor flavor
	url    *url.URL // the DSN as given, never with a password
	place  string   // host:port/database, lowercased host, default port added
}

// parseDSN parses a postgres:// or mysql:// URL. It refuses a password in
// the URL. Errors never quote the DSN, which may hold one.
func parseDSN(dsn string) (target, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if strings.Contains(err.Error(), "userinfo") {
			return target{}, fmt.Errorf("parse DSN: %w (a password belongs in %s or a password file, not in the DSN)", err, DefaultPasswordEnv)
		}
		return target{}, fmt.Errorf("parse DSN: %w", err)
	}
	t := target{url: u}
	switch strings.ToLower(u.Scheme) {
	case "postgres", "postgresql":
		t.flavor = postgres
	case "mysql", "mariadb":
		t.flavor = mysql
	default:
		return target{}, fmt.Errorf("parse DSN: scheme %q is not postgres:// or mysql://", u.Scheme)
	}
	if _, ok := u.User.Password(); ok || u.Query().Has("password") {
		return target{}, errors.New("parse DSN: the DSN holds a password: pass it in " + DefaultPasswordEnv + " or a password file instead")
	}
	db := strings.Trim(u.Path, "/")
	if db == "" {
		return target{}, errors.New("parse DSN: no database name in the path (postgres://host/dbname)")
	}
	t.place = hostPort(u.Host, t.flavor) + "/" + db
	return t, nil
}

// hostPort returns host as Identity shows it: lowercase, each host with its
// port (the default port when none). PostgreSQL allows a list "h1,h2:5433".
func hostPort(host string, f flavor) string {
	port := "5432"
	if f == mysql {
		port = "3306"
	}
	if host == "" {
		host = "localhost"
	}
	parts := strings.Split(strings.ToLower(host), ",")
	for i, p := range parts {
		if _, _, err := net.SplitHostPort(p); err != nil {
			parts[i] = net.JoinHostPort(strings.Trim(p, "[]"), port)
		}
	}
	return strings.Join(parts, ",")
}

// user returns the user name in the DSN, or "".
func (t target) user() string { return t.url.User.Username() }
