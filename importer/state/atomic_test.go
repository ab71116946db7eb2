package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	writeFile(t, path+".tmp", "stale tmp with another mode")
	if err := os.Chmod(path+".tmp", 0o644); err != nil {
		t.Fatal(err)
	}
	for _, content := range []string{"first", "second, longer content", "3"} {
		if err := WriteFileAtomic(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, path); got != content {
			t.Errorf("content = %q, want %q", got, content)
		}
		assertMode(t, path, 0o600)
		if entries, _ := os.ReadDir(dir); len(entries) != 2 { // f.json and the stale tmp, which OpenDir removes
			t.Errorf("tmp file left behind: %v", entries)
		}
		if got := readFile(t, path+".tmp"); got != "stale tmp with another mode" {
			t.Errorf("a stale tmp was written through: %q", got)
		}
	}
}

// A crash after the temp file is written but before the rename leaves the
// old content in place and a stray .tmp, which OpenDir deletes.
func TestWriteFileAtomic_CrashBeforeRename(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	old := &Snapshot{Cursor: "100", Line: 3}
	if err := WriteSnapshot(d.Snapshot(), old); err != nil {
		t.Fatal(err)
	}
	// The first half of WriteFileAtomic, then "kill -9".
	f, err := createTemp(d.Snapshot(), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeSynced(f, strings.NewReader(`{"version":1,"offset":999}`)); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSnapshot(d.Snapshot())
	if err != nil || got.Cursor != "100" {
		t.Fatalf("after crash before rename: snapshot %+v, %v; want offset 100", got, err)
	}
	if _, err := OpenDir(d.Path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.Name()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stray tmp not removed on OpenDir: %v", err)
	}
}

func TestWriteFileAtomic_ErrorLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "missing-subdir", "f")
	if err := WriteFileAtomic(path, []byte("x"), 0o600); err == nil {
		t.Fatal("want error for a missing directory")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left %d entries behind", len(entries))
	}
}

func TestRemoveTmpFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.tmp", "snapshot.json.tmp", "keep.json", "keep.tmpx"} {
		writeFile(t, filepath.Join(dir, name), "x")
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.tmp"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := RemoveTmpFiles(dir); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := "[keep.json keep.tmpx sub.tmp]"
	if got := fmt.Sprint(names); got != want {
		t.Errorf("left %s, want %s", got, want)
	}
	if err := RemoveTmpFiles(filepath.Join(dir, "nope")); err != nil {
		t.Errorf("missing dir: %v", err)
	}
}

func TestFsyncDir(t *testing.T) {
	if err := FsyncDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if err := FsyncDir(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("want error for a missing dir")
	}
}
