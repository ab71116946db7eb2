package sqlsrc

import (
	"strconv"
	"strings"
)

// statements are the SQL texts of one read, built from the Config. Only
// identifiers from the Config (quoted) and the page size go into them; key
// values are always parameters.
type statements struct {
	table   string // the quoted table name; "" for a query
	from    string // "<table> AS q" or "(<query>) AS q"
	key     string // q."key", quoted
	flavor  flavor
	limit   int // page size + 1: the extra row detects a duplicate at the page end
	orderBy string
}

// newStatements quotes the table or wraps the query, for flavor f.
func newStatements(f flavor, cfg Config) statements {
	st := statements{flavor: f, limit: cfg.PageSize + 1}
	if cfg.Table != "" {
		parts := strings.Split(cfg.Table, ".")
		for i, p := range parts {
			parts[i] = st.quote(p)
		}
		st.table = strings.Join(parts, ".")
		st.from = st.table + " AS q"
	} else {
		st.from = "(" + cfg.Query + "\n) AS q" // the newline ends a trailing -- comment
	}
	st.key = "q." + st.quote(cfg.Key)
	return st
}

// quote quotes an identifier: "name" for PostgreSQL, `name` for MySQL.
func (st statements) quote(id string) string {
	if st.flavor == mysql {
		return "`" + strings.ReplaceAll(id, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}

// ordered returns st with the key expression for class c: the column
// itself for integers and uuids, its bytes for text (COLLATE "C" in
// PostgreSQL, CAST(CONVERT(k USING utf8mb4) AS BINARY) in MySQL), so that
// ORDER BY and > agree with each other and with compareKeys.
func (st statements) ordered(c keyClass) statements {
	st.orderBy = st.key
	if c == keyText {
		if st.flavor == mysql {
			st.orderBy = "CAST(CONVERT(" + st.key + " USING utf8mb4) AS BINARY)"
		} else {
			st.orderBy = st.key + ` COLLATE "C"`
		}
	}
	return st
}

// param returns the n-th (1-based) placeholder.
func (st statements) param(n int) string {
	if st.flavor == mysql {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// describe selects no row, for the result's columns.
func (st statements) describe() string { return "SELECT * FROM " + st.from + " LIMIT 0" }

// nullKey tells whether any row has a NULL key.
func (st statements) nullKey() string {
	return "SELECT EXISTS (SELECT 1 FROM " + st.from + " WHERE " + st.key + " IS NULL)"
}

// page selects the next page: from the start, or after the key in param 1.
func (st statements) page(first bool) string {
	where := ""
	if !first {
		where = " WHERE " + st.orderBy + " > " + st.param(1)
	}
	return "SELECT * FROM " + st.from + where + " ORDER BY " + st.orderBy + " LIMIT " + strconv.Itoa(st.limit)
}

// keys selects the rows with n keys given as params 1..n. It compares with
// the column's own collation (index-friendly); callers match keys exactly.
func (st statements) keys(n int) string {
	var b strings.Builder
	b.WriteString("SELECT * FROM " + st.from + " WHERE " + st.key + " IN (")
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString(st.param(i))
	}
	b.WriteByte(')')
	return b.String()
}
