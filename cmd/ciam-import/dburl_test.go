package main

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDBInput(t *testing.T) {
	const pw = "S3cr3t-pw"
	tests := []struct {
		input string
		dsn   string // "" when refused or a file
		isDB  bool
		err   string // in the error; "" for none
	}{
		{input: "users.csv", dsn: "users.csv"},
		{input: "dir/with:colon@at.csv", dsn: "dir/with:colon@at.csv"},
		{input: "postgres://app@db:5432/crm?sslmode=require", dsn: "postgres://app@db:5432/crm?sslmode=require", isDB: true},
		{input: "POSTGRES://app@db/crm", dsn: "postgres://app@db/crm", isDB: true},
		{input: "MySQL://app@db/crm?tls=true", dsn: "mysql://app@db/crm?tls=true", isDB: true},
		{input: "app@tcp(db:3306)/crm?tls=true", dsn: "mysql://app@db:3306/crm?tls=true", isDB: true},
		{input: "app@unix(/run/mysqld.sock)/crm", dsn: "mysql://app@localhost/crm?socket=%2Frun%2Fmysqld.sock", isDB: true},
		{input: "POSTGRES://app:" + pw + "@db/crm", isDB: true, err: "carries a password"},
		{input: "MySQL://app:" + pw + "@db/crm", isDB: true, err: "carries a password"},
		{input: "mariadb://app:@db/crm", isDB: true, err: "carries a password"},
		{input: "app:" + pw + "@tcp(db:3306)/crm", isDB: true, err: "carries a password"},
		{input: "postgres://app@db/crm?sslmode=require&sslpassword=" + pw, isDB: true, err: "carries a password"},
		{input: "postgres://app@db/crm?PassWord=" + pw, isDB: true, err: "carries a password"},
		{input: "mysql://app@db/crm?multiStatements=true", isDB: true, err: "multiStatements is refused"},
		{input: "app@tcp(db)/crm?multiStatements=true", isDB: true, err: "multiStatements is refused"},
		{input: "postgres://app@db/crm?options=-c%20default_transaction_read_only%3Doff", isDB: true, err: `parameter "options" is not one`},
		{input: "ftp://app:" + pw + "@host/x", err: `scheme "ftp" is neither a file name nor a database URL`},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			dsn, isDB, err := parseDBInput(tt.input)
			if isDB != tt.isDB {
				t.Errorf("isDB = %v, want %v", isDB, tt.isDB)
			}
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want one saying %q", err, tt.err)
			case err != nil && strings.Contains(err.Error(), pw):
				t.Fatalf("the error echoes the password: %v", err)
			case err != nil && errors.Is(err, errDBPassword) && !strings.Contains(err.Error(), "CIAM_IMPORT_DB_PASSWORD"):
				t.Fatalf("the error does not name the variable: %v", err)
			}
			if dsn != tt.dsn {
				t.Errorf("dsn %q, want %q", dsn, tt.dsn)
			}
		})
	}
}
