package state

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A symlink where a state file goes is never written through: the target
// keeps its content and mode, whichever file of the job it poses as.
func TestSymlinksAreNotFollowed(t *testing.T) {
	cases := []struct {
		name  string
		write func(d Dir) error
	}{
		{LockFile, func(d Dir) error { _, err := Lock(d.Path, LockInfo{PID: 1}); return err }},
		{JournalFile, func(d Dir) error { _, err := OpenJournal(d.Journal()); return err }},
		{RunsFile, func(d Dir) error { return AppendRun(d.Runs(), RunRecord{Command: "x"}) }},
		{SnapshotFile, func(d Dir) error { return WriteSnapshot(d.Snapshot(), &Snapshot{}) }},
		{SummaryFile, func(d Dir) error { return WriteFileAtomic(d.Summary(), []byte("{}"), 0o600) }},
		{"journal truncate", func(d Dir) error { return TruncateFile(d.Journal(), 0) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Dir{Path: t.TempDir()}
			victim := filepath.Join(t.TempDir(), "victim")
			writeFile(t, victim, "precious\n")
			if err := os.Chmod(victim, 0o644); err != nil {
				t.Fatal(err)
			}
			name := tc.name
			if name == "journal truncate" {
				name = JournalFile
			}
			if err := os.Symlink(victim, filepath.Join(d.Path, name)); err != nil {
				t.Fatal(err)
			}
			err := tc.write(d)
			if got := readFile(t, victim); got != "precious\n" {
				t.Errorf("the symlink's target was written: %q (err %v)", got, err)
			}
			assertMode(t, victim, 0o644)
			if err != nil && !errors.Is(err, ErrUnsafe) {
				t.Errorf("err = %v, want nil (replaced by rename) or ErrUnsafe", err)
			}
		})
	}
}

// A state directory writable by others is refused with a clear error.
func TestOpenDirRefusesAWritableDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(dir); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("OpenDir of a 0777 dir: %v, want ErrUnsafe", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(dir); err != nil {
		t.Fatalf("OpenDir of a 0700 dir: %v", err)
	}
}
