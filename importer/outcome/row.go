package outcome

import (
	"fmt"
	"strconv"
)

// Row is what a report row can show about one settled input row. It never
// holds a secret: there is no field for a password, a hash or a salt.
type Row struct {
	Line       int64  // line of the row in the input (a database row's ordinal)
	ID         string // the row's identity in its source (a file offset, a database key)
	Key        string // legacy id
	UserID     string
	RequestID  string
	Code       string // CIAM (or Local.*) code
	Message    string // error message, or why
	Field      string // rejected: offending field
	Identifier string // conflict: which identifier collided
	Fields     string // updated: the fields sent, e.g. "Email;Nickname"
	Attempts   int
	Pass       int // 0 main pass, N = Nth retry pass
}

// Column is one report column: its header, its value in a Row, and the
// inverse of Value: Set stores a cell Value returned back into a Row.
type Column struct {
	Name  string
	Value func(*Row) string
	Set   func(r *Row, cell string) error
}

// The columns reports are made of.
var (
	Line       = Column{"line", func(r *Row) string { return strconv.FormatInt(r.Line, 10) }, setInt64(func(r *Row) *int64 { return &r.Line })}
	ID         = Column{"id", func(r *Row) string { return r.ID }, setString(func(r *Row) *string { return &r.ID })}
	Key        = Column{"key", func(r *Row) string { return r.Key }, setString(func(r *Row) *string { return &r.Key })}
	UserID     = Column{"user_id", func(r *Row) string { return r.UserID }, setString(func(r *Row) *string { return &r.UserID })}
	RequestID  = Column{"request_id", func(r *Row) string { return r.RequestID }, setString(func(r *Row) *string { return &r.RequestID })}
	Code       = Column{"code", func(r *Row) string { return r.Code }, setString(func(r *Row) *string { return &r.Code })}
	Message    = Column{"message", func(r *Row) string { return r.Message }, setString(func(r *Row) *string { return &r.Message })}
	Reason     = Column{"reason", func(r *Row) string { return r.Message }, setString(func(r *Row) *string { return &r.Message })}
	Field      = Column{"field", func(r *Row) string { return r.Field }, setString(func(r *Row) *string { return &r.Field })}
	Identifier = Column{"identifier", func(r *Row) string { return r.Identifier }, setString(func(r *Row) *string { return &r.Identifier })}
	Fields     = Column{"fields", func(r *Row) string { return r.Fields }, setString(func(r *Row) *string { return &r.Fields })}
	Attempts   = Column{"attempts", func(r *Row) string { return strconv.Itoa(r.Attempts) }, setInt(func(r *Row) *int { return &r.Attempts })}
	Pass       = Column{"pass", func(r *Row) string { return strconv.Itoa(r.Pass) }, setInt(func(r *Row) *int { return &r.Pass })}
)

func setString(field func(*Row) *string) func(*Row, string) error {
	return func(r *Row, cell string) error { *field(r) = cell; return nil }
}

func setInt64(field func(*Row) *int64) func(*Row, string) error {
	return func(r *Row, cell string) (err error) {
		*field(r), err = strconv.ParseInt(cell, 10, 64)
		return err
	}
}

func setInt(field func(*Row) *int) func(*Row, string) error {
	return func(r *Row, cell string) (err error) {
		*field(r), err = strconv.Atoi(cell)
		return err
	}
}

// Header returns the column names of o's report.
func (o Outcome) Header() []string {
	h := make([]string, len(o.Columns))
	for i, c := range o.Columns {
		h[i] = c.Name
	}
	return h
}

// Record returns r as o's report record, in column order.
func (o Outcome) Record(r *Row) []string {
	rec := make([]string, len(o.Columns))
	for i, c := range o.Columns {
		rec[i] = c.Value(r)
	}
	return rec
}

// Parse is the inverse of Record: the Row whose record rec is. rec must
// have one cell per column; a cell that does not parse (a line, attempts or
// pass that is not a number) is an error naming its column.
func (o Outcome) Parse(rec []string) (Row, error) {
	var r Row
	if len(rec) != len(o.Columns) {
		return r, fmt.Errorf("%d cells, want %d", len(rec), len(o.Columns))
	}
	for i, c := range o.Columns {
		if err := c.Set(&r, rec[i]); err != nil {
			return Row{}, fmt.Errorf("column %s: %w", c.Name, err)
		}
	}
	return r, nil
}
