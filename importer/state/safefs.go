package state

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrUnsafe is matched by every *UnsafeError.
var ErrUnsafe = errors.New("unsafe state path")

// UnsafeError refuses a state (or report) directory or file that another
// user could make the job write through: a symlink where a file of the job
// should be, a file or directory owned by another user, one writable by its
// group or by others, or something that is not a regular file.
type UnsafeError struct {
	Path   string
	Reason string
}

func (e *UnsafeError) Error() string {
	return fmt.Sprintf("unsafe state path %s: %s", e.Path, e.Reason)
}

// Unwrap returns ErrUnsafe, so errors.Is(err, ErrUnsafe) holds.
func (e *UnsafeError) Unwrap() error { return ErrUnsafe }

// OpenFile opens path like os.OpenFile but never through a symlink
// (O_NOFOLLOW on the last component: a symlink is an *UnsafeError), and
// refuses what it opened unless it is a regular file (a FIFO is refused at
// once, never waited on) and, when opened for
// writing, owned by this user and not writable by group or others. Every
// file of a state directory is opened through it. perm applies only when
// the file is created.
func OpenFile(path string, flag int, perm os.FileMode) (*os.File, error) {
	// O_NONBLOCK: a FIFO planted in place of a state file would block the
	// open until a writer came; opened at once, it is refused below. It
	// changes nothing for the regular files that pass.
	f, err := os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_CLOEXEC|syscall.O_NONBLOCK, perm)
	if errors.Is(err, syscall.ELOOP) {
		return nil, &UnsafeError{Path: path, Reason: "is a symbolic link; the job never writes through one (remove it)"}
	} else if err != nil {
		return nil, err
	}
	if err := checkOwned(path, f, flag&(os.O_WRONLY|os.O_RDWR) != 0); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// checkOwned refuses an open file that is not regular or, if forWrite, not
// ours or writable by group or others.
func checkOwned(path string, f *os.File, forWrite bool) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return &UnsafeError{Path: path, Reason: fmt.Sprintf("is not a regular file (%s)", fi.Mode().Type())}
	}
	if !forWrite {
		return nil
	}
	return checkOwner(path, fi)
}

// checkOwner refuses fi unless it belongs to this process's effective user
// and neither its group nor others may write it.
func checkOwner(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil // not a Unix file system: no owner to check
	}
	if uid := os.Geteuid(); int(st.Uid) != uid {
		return &UnsafeError{Path: path, Reason: fmt.Sprintf("is owned by uid %d, not by this user (uid %d)", st.Uid, uid)}
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return &UnsafeError{Path: path, Reason: fmt.Sprintf("is writable by group or others (mode %#o); run chmod go-w on it", fi.Mode().Perm())}
	}
	return nil
}

// CheckDir refuses a state or report directory that another user could
// plant files in or swap: it must be a directory owned by this user and not
// writable by group or others. If path is a symbolic link it is followed
// (an operator may keep the state on another disk) only when the link itself
// is owned by this user or root; the target must pass the same checks.
// Inside a directory that passes, only this user can create entries, so
// opening its files with O_NOFOLLOW closes the remaining hole. Every
// component of path, from the root down, passes CheckPath: no symbolic
// link of another user than this one or root anywhere on the way. A
// missing path returns an error matching fs.ErrNotExist.
func CheckDir(path string) error {
	if err := CheckPath(path); err != nil {
		return err
	}
	li, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if li.Mode()&fs.ModeSymlink != 0 {
		if err := checkLinkOwner(path, li); err != nil {
			return err
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &UnsafeError{Path: path, Reason: "is not a directory"}
	}
	return checkOwner(path, fi)
}

// checkLinkOwner accepts a symbolic link owned by this user or by root.
func checkLinkOwner(path string, li fs.FileInfo) error {
	st, ok := li.Sys().(*syscall.Stat_t)
	if !ok || st.Uid == 0 || int(st.Uid) == os.Geteuid() {
		return nil
	}
	return &UnsafeError{Path: path, Reason: fmt.Sprintf("is a symbolic link owned by uid %d; only a link of this user or root is followed", st.Uid)}
}

// createTemp creates a new file next to path with a random name ending in
// tmpSuffix (os.CreateTemp: O_EXCL, so nothing planted there is opened),
// mode perm (fchmod, whatever the umask).
func createTemp(path string, perm os.FileMode) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*"+tmpSuffix)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(perm); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// ReadFile reads the whole file at path like os.ReadFile, never through a
// symlink (see OpenFile).
func ReadFile(path string) ([]byte, error) {
	f, err := OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
