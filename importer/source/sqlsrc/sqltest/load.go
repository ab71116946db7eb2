package sqltest

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	gomysql "github.com/go-sql-driver/mysql"
)

// loads numbers the readers LoadCSV registers with the MySQL driver.
var loads atomic.Int64

// LoadCSV creates table with columns (a column list as in CREATE TABLE)
// on s and loads r into it: CSV with a header line, LF line ends, fields
// quoted with " only where needed and quotes doubled inside them, as
// sourcetest.WriteCSV writes them. PostgreSQL reads it with COPY (an empty
// unquoted field is NULL), MariaDB and MySQL with LOAD DATA LOCAL INFILE
// (an empty field is an empty string in a character column). The caller adds keys and
// indexes afterwards: that is faster than loading into them.
func LoadCSV(s Server, table, columns string, r io.Reader) error {
	create := "CREATE TABLE " + table + " (" + columns + ")"
	if s.Name == "postgres" {
		if err := PGExec(s.DSN, create); err != nil {
			return err
		}
		_, err := PGCopy(s.DSN, "COPY "+table+" FROM STDIN (FORMAT csv, HEADER true)", r)
		return err
	}
	db, err := MyDB(s.DSN)
	if err != nil {
		return err
	}
	defer db.Close()
	name := fmt.Sprintf("sqltest-%d", loads.Add(1))
	gomysql.RegisterReaderHandler(name, func() io.Reader { return r })
	defer gomysql.DeregisterReaderHandler(name)
	for _, st := range []string{
		create + " CHARACTER SET utf8mb4",
		"LOAD DATA LOCAL INFILE 'Reader::" + name + "' INTO TABLE " + table + " CHARACTER SET utf8mb4 " +
			`FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\n' IGNORE 1 LINES`,
	} {
		if _, err := db.Exec(st); err != nil {
			return fmt.Errorf("%s: %w", strings.SplitN(st, " (", 2)[0], err)
		}
	}
	return nil
}
