package sqlsrc

import "testing"

func TestServersUp(t *testing.T) {
	for _, s := range dbs(t) {
		s.exec(t, "SELECT 1")
		t.Log(s.name, s.dsn)
	}
}
