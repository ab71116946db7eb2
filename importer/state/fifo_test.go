package state

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestFIFORefusedAtOnce: a FIFO in place of a state file is refused as not
// a regular file, for reading and writing, without waiting for a writer.
func TestFIFORefusedAtOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), SnapshotFile)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, open := range []func() error{
		func() error { _, err := ReadFile(p); return err },
		func() error { _, err := ReadSnapshot(p); return err },
		func() error { f, err := OpenFile(p, os.O_RDONLY, 0); closeIf(f); return err },
	} {
		done := make(chan error, 1)
		go func() { done <- open() }()
		select {
		case err := <-done:
			var ue *UnsafeError
			if !errors.As(err, &ue) || ue.Reason != "is not a regular file (p---------)" {
				t.Errorf("error %v, want an *UnsafeError: not a regular file", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the open waits on the FIFO")
		}
	}
}

func closeIf(f *os.File) {
	if f != nil {
		f.Close()
	}
}
