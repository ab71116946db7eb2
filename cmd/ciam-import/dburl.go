package main

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/ciam-import/ciam-import/importer/source/sqlsrc"
)

// The rules for a database --input. It is recognised whatever the case of
// its scheme (POSTGRES://, MySQL://) and in go-sql-driver's native form
// (user@tcp(host:3306)/db, user@unix(/path)/db). It is refused while it
// carries a credential (a password in the user part, password=,
// sslpassword=, ...): the password goes in CIAM_IMPORT_DB_PASSWORD or
// --db-password-file. Only the parameters of dbParams are accepted, since
// the URL is written to job.json; its errors never quote the URL.

// dbSchemes are the schemes of a database URL, lowercase.
var dbSchemes = []string{"postgres", "postgresql", "mysql", "mariadb"}

// dbParams are the harmless URL parameters, lowercase: how to connect and
// with which TLS, never a credential and never a session setting that could
// lift the read-only session (options=, multiStatements=).
var dbParams = []string{
	// PostgreSQL (libpq names, as pgx reads them)
	"sslmode", "sslrootcert", "sslcert", "sslkey", "sslsni", "connect_timeout", "application_name", "target_session_attrs", "host", "port",
	// MySQL / MariaDB (go-sql-driver names)
	"tls", "timeout", "readtimeout", "writetimeout", "charset", "collation", "loc", "socket", "allownativepasswords", "maxallowedpacket",
}

// urlLike is a scheme followed by "://".
var urlLike = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://`)

// nativeMySQL is go-sql-driver's own DSN form: [user[:password]@]tcp(addr)/db[?params].
var nativeMySQL = regexp.MustCompile(`^(?:(.*)@)?(tcp|unix)\(([^)]*)\)/([^?]*)(?:\?(.*))?$`)

// errDBPassword refuses a database URL that carries a credential.
var errDBPassword = fmt.Errorf("--input: the database URL carries a password; it is not shown, and never kept: "+
	"remove it and pass the password in %s (or a file named by --db-password-file)", sqlsrc.DefaultPasswordEnv)

// parseDBInput tells a database URL from a file name. For a database it
// returns the URL normalised (a lowercase scheme, the native MySQL form as
// mysql://...), checked by the rules above.
func parseDBInput(input string) (dsn string, isDB bool, err error) {
	if m := nativeMySQL.FindStringSubmatch(input); m != nil && !urlLike.MatchString(input) {
		dsn, err = fromNativeMySQL(m)
		return dsn, true, err
	}
	m := urlLike.FindStringSubmatch(input)
	if m == nil {
		return input, false, nil
	}
	scheme := strings.ToLower(m[1])
	if !slices.Contains(dbSchemes, scheme) {
		return "", false, fmt.Errorf("--input: scheme %q is neither a file name nor a database URL (postgres://, mysql://, mariadb://)", m[1])
	}
	if err := checkDBURL(input[len(m[0]):]); err != nil {
		return "", true, err
	}
	return scheme + input[len(m[1]):], true, nil
}

// checkDBURL checks what follows "scheme://": no password in the user part,
// and only harmless parameters.
func checkDBURL(rest string) error {
	authority, query, _ := strings.Cut(rest, "?")
	authority, _, _ = strings.Cut(authority, "/")
	if at := strings.LastIndex(authority, "@"); at >= 0 && strings.Contains(authority[:at], ":") {
		return errDBPassword
	}
	return checkDBParams(query)
}

// checkDBParams refuses a credential, multiStatements and any parameter not
// in dbParams; only the parameter's name is quoted.
func checkDBParams(query string) error {
	if query == "" {
		return nil
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return errors.New("--input: the database URL's parameters cannot be parsed (check the escaping after '?')")
	}
	names := slices.Sorted(maps.Keys(values))
	// A credential is named first, then multiStatements, then the rest:
	// the most serious refusal whatever the order of the parameters.
	for _, name := range names {
		if isCredentialParam(strings.ToLower(name)) {
			return errDBPassword
		}
	}
	for _, name := range names {
		if strings.EqualFold(name, "multiStatements") {
			return errors.New("--input: multiStatements is refused: a --query must be one SELECT, and the session stays read-only")
		}
	}
	for _, name := range names {
		if !slices.Contains(dbParams, strings.ToLower(name)) {
			return fmt.Errorf("--input: the database URL's parameter %q is not one ciam-import passes on (it keeps %s): remove it", name, strings.Join(dbParams, ", "))
		}
	}
	return nil
}

// isCredentialParam reports a parameter name that holds a secret.
func isCredentialParam(lower string) bool {
	for _, s := range []string{"pass", "pwd", "secret", "token", "credential"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

// fromNativeMySQL turns go-sql-driver's native DSN (the submatches of
// nativeMySQL) into a mysql:// URL.
func fromNativeMySQL(m []string) (string, error) {
	user, proto, addr, db, query := m[1], m[2], m[3], m[4], m[5]
	if strings.Contains(user, ":") {
		return "", errDBPassword
	}
	if err := checkDBParams(query); err != nil {
		return "", err
	}
	u := &url.URL{Scheme: "mysql", Host: addr, Path: "/" + db, RawQuery: query}
	if user != "" {
		u.User = url.User(user)
	}
	if proto == "unix" {
		q := u.Query()
		q.Set("socket", addr)
		u.Host, u.RawQuery = "localhost", q.Encode()
	}
	return u.String(), nil
}
