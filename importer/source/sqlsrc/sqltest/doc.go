// Package sqltest starts throw-away database servers for the sqlsrc tests
// and the bench program: a PostgreSQL cluster (initdb, then the postmaster)
// and a MariaDB server (mariadb-install-db, mariadbd) from Debian's
// packages, in a directory of the caller's, on a free port of 127.0.0.1,
// run as an unprivileged user when the caller is root (PostgreSQL refuses
// root). A server is a child process of the caller's that dies with it
// (Pdeathsig on Linux), even when the caller never calls Stop.
// .ci/databases.sh installs the packages.
//
// Both servers have a user with the password Password and a database
// ciamtest; Server.DSN names them without the password. A server whose
// binaries are not installed comes back with Missing set and no DSN; one
// that was there but failed to start has Missing starting with "FAILED".
package sqltest
