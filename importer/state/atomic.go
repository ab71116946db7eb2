package state

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// tmpSuffix marks files that are being written; a crash can leave them behind.
const tmpSuffix = ".tmp"

// WriteFileAtomic replaces path with data so that after a crash path holds
// either its old content or data, never a mix. It writes a new temp file
// with a random name ending in ".tmp" in the same directory (O_EXCL and
// O_NOFOLLOW, so nothing planted there is written through), fsyncs and
// closes it, renames it over path and fsyncs the directory. rename(2)
// replaces a symlink at path rather than following it. The file gets mode
// perm whatever the umask says (fchmod on the new file, never a chmod by
// path). On error the temp file is removed and path is untouched.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return WriteFileAtomicFrom(path, bytes.NewReader(data), perm)
}

// WriteFileAtomicFrom is WriteFileAtomic with the content streamed from r,
// for content too large to hold in memory.
func WriteFileAtomicFrom(path string, r io.Reader, perm os.FileMode) error {
	f, err := createTemp(path, perm)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	if err := writeSynced(f, r); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	return FsyncDir(filepath.Dir(path))
}

// writeSynced copies r into f, fsyncs and closes it.
func writeSynced(f *os.File, r io.Reader) error {
	if _, err := io.Copy(f, r); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// FsyncDir fsyncs the directory dir, making renames, creations and removals
// of its entries durable.
func FsyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsync dir: %w", err)
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return d.Close()
}

// RemoveTmpFiles deletes the regular files named *.tmp directly inside dir:
// leftovers of a WriteFileAtomic interrupted by a crash. It does not recurse.
// A missing dir is not an error.
func RemoveTmpFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("remove tmp files: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), tmpSuffix) {
			continue
		}
		err := os.Remove(filepath.Join(dir, e.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove tmp files: %w", err)
		}
	}
	return nil
}
