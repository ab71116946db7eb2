package state

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "state")
	d, err := OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o700)
	for got, want := range map[string]string{
		d.Snapshot(): "snapshot.json", d.Journal(): "journal.jsonl", d.Lock(): "lock",
		d.Runs(): "runs.jsonl", d.Summary(): "summary.json", d.Report("created.csv"): "created.csv",
		d.RetryQueue(): "retry-queue.csv",
	} {
		if got != filepath.Join(path, want) {
			t.Errorf("path %q, want %q", got, filepath.Join(path, want))
		}
	}
	writeFile(t, d.Snapshot()+".tmp", "x")
	writeFile(t, d.Summary(), "{}")
	if _, err := OpenDir(path); err != nil { // reopen: existing dir is fine
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Snapshot() + ".tmp"); !errors.Is(err, fs.ErrNotExist) {
		t.Error("stray tmp not removed")
	}
	if _, err := os.Stat(d.Summary()); err != nil {
		t.Error("OpenDir removed a real file")
	}
	if _, err := OpenDir(d.Summary()); err == nil {
		t.Error("OpenDir on a regular file must fail")
	}
}

// While a live run holds the lock, its *.tmp files are its own: OpenDir
// from another process (e.g. a status command) must not delete them.
func TestOpenDir_LeavesLiveRunsTmpFiles(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l, err := Lock(d.Path, lockInfo("run"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	writeFile(t, d.Snapshot()+".tmp", "being written")
	if _, err := OpenDir(d.Path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Snapshot() + ".tmp"); err != nil {
		t.Errorf("OpenDir removed a live run's tmp file: %v", err)
	}
}
