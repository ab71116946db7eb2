package sqlsrc

import "testing"

// trimQuery drops the trailing semicolons and comments, never quoted text.
func TestTrimQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT * FROM users", "SELECT * FROM users"},
		{"  SELECT 1 ;  \n", "  SELECT 1"},
		{"SELECT * FROM users; -- the users", "SELECT * FROM users"},
		{"SELECT * FROM users; -- one\n-- two\n", "SELECT * FROM users"},
		{"SELECT * FROM users;; /* all of them; */ ;", "SELECT * FROM users"},
		{"SELECT * FROM users -- the users; all of them", "SELECT * FROM users"},
		{"SELECT * FROM users /* a /* nested */ comment; */;", "SELECT * FROM users"},
		{"SELECT ';' AS s;", "SELECT ';' AS s"},
		{"SELECT '-- not a comment' AS s; -- one", "SELECT '-- not a comment' AS s"},
		{"SELECT 'it''s; -- x' AS s", "SELECT 'it''s; -- x' AS s"},
		{`SELECT 'a\'; -- b' AS s`, `SELECT 'a\'; -- b' AS s`},
		{`SELECT "a;--" FROM t;`, `SELECT "a;--" FROM t`},
		{"SELECT `a;--` FROM t;", "SELECT `a;--` FROM t"},
		{"SELECT $$ -- ; $$ AS s; -- c", "SELECT $$ -- ; $$ AS s"},
		{"SELECT $q$ ; /* $q$ AS s;", "SELECT $q$ ; /* $q$ AS s"},
		{"SELECT * FROM t WHERE a = $1;", "SELECT * FROM t WHERE a = $1"},
		{"SELECT 1; DROP TABLE t", "SELECT 1; DROP TABLE t"},
		{"-- only a comment", ""},
		{"SELECT 'unterminated; -- x", "SELECT 'unterminated; -- x"},
	} {
		if got := trimQuery(tc.in); got != tc.want {
			t.Errorf("trimQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
