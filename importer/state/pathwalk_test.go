package state

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// otherUID owns the links "another user" planted.
const otherUID = 4242

// foreignLink makes a symbolic link at link to target owned by otherUID;
// only root can, so the test needs it.
func foreignLink(t *testing.T, target, link string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("making a link owned by another user needs root")
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(link, otherUID, otherUID); err != nil {
		t.Fatal(err)
	}
}

// Another user's symbolic link anywhere on the path of a state, report or
// ledger directory is refused before anything is created through it; the
// job's own links are followed, and their targets checked the same way.
func TestCheckPathFromTheRoot(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, base string) string // the path to check
		bad   string                                 // the link the error names; "" when the path passes
	}{
		{"a plain path", func(t *testing.T, base string) string { return filepath.Join(base, "a", "state") }, ""},
		{"another user's link as the parent", func(t *testing.T, base string) string {
			mkdirs(t, base, "victim")
			foreignLink(t, filepath.Join(base, "victim"), filepath.Join(base, "link"))
			return filepath.Join(base, "link", "state")
		}, "link"},
		{"another user's link as a grandparent, the state dir not made", func(t *testing.T, base string) string {
			mkdirs(t, base, "victim/sub")
			foreignLink(t, filepath.Join(base, "victim"), filepath.Join(base, "link"))
			return filepath.Join(base, "link", "sub", "new", "state")
		}, "link"},
		{"our link to a directory reached through another user's link", func(t *testing.T, base string) string {
			mkdirs(t, base, "victim/sub")
			foreignLink(t, filepath.Join(base, "victim"), filepath.Join(base, "theirs"))
			if err := os.Symlink(filepath.Join(base, "theirs", "sub"), filepath.Join(base, "ours")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(base, "ours", "state")
		}, "theirs"},
		{"our own link as a parent", func(t *testing.T, base string) string {
			mkdirs(t, base, "disk")
			if err := os.Symlink(filepath.Join(base, "disk"), filepath.Join(base, "ours")); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(base, "ours", "state")
		}, ""},
		{"a .. after another user's link", func(t *testing.T, base string) string {
			mkdirs(t, base, "x/y")
			foreignLink(t, filepath.Join(base, "x", "y"), filepath.Join(base, "link"))
			return base + "/link/../state"
		}, "link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			path := tc.setup(t, base)
			err := CheckPath(path)
			if tc.bad == "" {
				if err != nil {
					t.Fatalf("CheckPath = %v", err)
				}
				if _, err := OpenDir(path); err != nil {
					t.Fatalf("OpenDir = %v", err)
				}
				return
			}
			if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), filepath.Join(base, tc.bad)+", which is a symbolic link owned by uid 4242") {
				t.Fatalf("CheckPath = %v, want ErrUnsafe naming %s", err, tc.bad)
			}
			if _, err := OpenDir(path); !errors.Is(err, ErrUnsafe) {
				t.Fatalf("OpenDir = %v, want ErrUnsafe", err)
			}
			if err := CheckDir(path); !errors.Is(err, ErrUnsafe) && !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("CheckDir = %v", err)
			}
			entries, _ := os.ReadDir(filepath.Join(base, "victim"))
			for _, e := range entries {
				if e.Name() != "sub" {
					t.Errorf("%s was created in the other user's directory", e.Name())
				}
			}
		})
	}
}

func mkdirs(t *testing.T, base, rel string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(base, rel), 0o700); err != nil {
		t.Fatal(err)
	}
}
