package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// LockInfo describes the process holding a state directory's lock. It is
// written into the lock file for operators and for LockedError.
type LockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	Command string    `json:"command"`
}

// Lockfile is a held lock on a state directory.
type Lockfile struct {
	path string
	f    *os.File
}

// Lock takes the lock of the state directory dir: an exclusive, non-blocking
// flock on dir/lock (created 0600, never through a symlink: see OpenFile), into which it then writes info. If another
// open file description holds it (another live process, or another Lock in
// this one) it returns a *LockedError (errors.Is ErrLocked) naming the
// holder. The kernel drops a flock when its holder dies, so a lock file left
// by a killed process is simply taken over. The file is never deleted:
// unlinking a flock'd file lets two processes lock two different inodes.
// flock is not reliable on NFS; keep state directories on local disks.
func Lock(dir string, info LockInfo) (*Lockfile, error) {
	path := filepath.Join(dir, LockFile)
	f, err := acquire(path)
	if err != nil {
		return nil, err
	}
	if err := writeLockInfo(f, info); err != nil {
		_ = f.Close() // releases the flock
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lockfile{path: path, f: f}, nil
}

// Unlock releases the lock. The lock file and its content stay. Calling it
// again does nothing.
func (l *Lockfile) Unlock() error {
	if l.f == nil {
		return nil
	}
	err := flock(l.f, unix.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	if err != nil {
		return fmt.Errorf("unlock %s: %w", l.path, err)
	}
	return nil
}

// acquire opens path and flocks it exclusively without blocking.
func acquire(path string) (*os.File, error) {
	f, err := OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	err = flock(f, unix.LOCK_EX|unix.LOCK_NB)
	if err == nil {
		return f, nil
	}
	defer f.Close()
	if errors.Is(err, unix.EWOULDBLOCK) {
		return nil, &LockedError{Path: path, Holder: readLockInfo(f)}
	}
	return nil, fmt.Errorf("lock %s: %w", path, err)
}

// flock calls flock(2), retrying when interrupted by a signal.
func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}

func writeLockInfo(f *os.File, info LockInfo) error {
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(data, '\n'), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readLockInfo returns what the holder wrote, or a zero LockInfo if it has
// not written it yet (or it is unreadable: it is only informative).
func readLockInfo(f *os.File) LockInfo {
	var info LockInfo
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 64<<10))
	if err == nil {
		_ = json.Unmarshal(data, &info)
	}
	return info
}
