package ledger

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/state"
)

// A ledger another user could plant or swap is refused with state.ErrUnsafe,
// as the files of a state directory are, and nothing is written through
// it: a symbolic link (to a ledger or to nothing), a file writable by
// others or owned by another user, a directory writable by others. A
// ledger of ours in a directory of ours, or behind a symlinked directory of
// ours, opens.
func TestOpenLedgerRefusesUnsafePaths(t *testing.T) {
	tests := []struct {
		name string
		root bool                                  // needs root (chown)
		make func(t *testing.T, dir string) string // returns the path to open
		ok   bool
	}{
		{"a ledger of ours", false, func(t *testing.T, dir string) string { return makeLedger(t, dir, "ledger.db") }, true},
		{"a new ledger", false, func(t *testing.T, dir string) string { return filepath.Join(dir, "ledger.db") }, true},
		{"in a symlinked directory of ours", false, func(t *testing.T, dir string) string {
			makeLedger(t, dir, "ledger.db")
			link := filepath.Join(t.TempDir(), "dir")
			symlink(t, dir, link)
			return filepath.Join(link, "ledger.db")
		}, true},
		{"a symlink to a ledger", false, func(t *testing.T, dir string) string {
			link := filepath.Join(dir, "ledger.db")
			symlink(t, makeLedger(t, t.TempDir(), "victim.db"), link)
			return link
		}, false},
		{"a dangling symlink", false, func(t *testing.T, dir string) string {
			link := filepath.Join(dir, "ledger.db")
			symlink(t, filepath.Join(t.TempDir(), "victim.db"), link)
			return link
		}, false},
		{"writable by others", false, func(t *testing.T, dir string) string {
			path := makeLedger(t, dir, "ledger.db")
			chmod(t, path, 0o666)
			return path
		}, false},
		{"in a directory writable by others", false, func(t *testing.T, dir string) string {
			path := makeLedger(t, dir, "ledger.db")
			chmod(t, dir, 0o777)
			return path
		}, false},
		{"owned by another user", true, func(t *testing.T, dir string) string {
			path := makeLedger(t, dir, "ledger.db")
			if err := os.Chown(path, 65534, 65534); err != nil {
				t.Fatal(err)
			}
			return path
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.root && os.Geteuid() != 0 {
				t.Skip("chown to another user needs root")
			}
			dir := filepath.Join(t.TempDir(), "ledgers")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := tt.make(t, dir)
			target := path
			if dest, err := os.Readlink(path); err == nil {
				target = dest // a dangling link's target must stay missing
			}
			before, _ := os.ReadFile(target)
			l, err := Open(path, testBinding)
			if l != nil {
				l.Add("K", "uid")
				err = errors.Join(err, l.Flush(time.Now()), l.Close())
			}
			switch {
			case tt.ok && err != nil:
				t.Fatalf("Open: %v", err)
			case !tt.ok && !errors.Is(err, state.ErrUnsafe):
				t.Fatalf("Open: %v, want an error matching state.ErrUnsafe", err)
			case !tt.ok:
				t.Logf("refused: %v", err)
				if after, _ := os.ReadFile(target); !bytes.Equal(before, after) {
					t.Errorf("%s changed although the ledger was refused", target)
				}
			}
		})
	}
}

// makeLedger creates an empty ledger of ours in dir.
func makeLedger(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	l, err := Open(path, testBinding)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
