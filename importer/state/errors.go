package state

import (
	"errors"
	"fmt"
)

// Sentinel errors that callers branch on with errors.Is.
var (
	// ErrNoSnapshot means the snapshot file does not exist: a fresh start.
	ErrNoSnapshot = errors.New("no snapshot")
	// ErrCorrupt is matched by every *CorruptError.
	ErrCorrupt = errors.New("corrupt state file")
	// ErrUnsupportedVersion means a state file was written by another format
	// version; it is wrapped inside a *CorruptError.
	ErrUnsupportedVersion = errors.New("unsupported state format version")
	// ErrLocked is matched by every *LockedError.
	ErrLocked = errors.New("state directory is locked")
	// ErrClosed is returned by Journal methods called after Close.
	ErrClosed = errors.New("journal closed")
	// ErrTornTail means a journal does not end with a complete line; replay
	// it and truncate it to the returned validEnd before opening it.
	ErrTornTail = errors.New("journal has a torn tail")
)

// CorruptError reports a state file that exists but cannot be trusted. It is
// never recovered from silently: the operator must look at the file.
type CorruptError struct {
	Path   string // file that is corrupt
	Offset int64  // byte offset of the bad record (or of the problem) in the file
	Line   int64  // 1-based line of the bad record, counted from where reading started; 0 if unknown
	Err    error  // what is wrong
}

func (e *CorruptError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("damaged state: corrupt file %s at offset %d (line %d): %v", e.Path, e.Offset, e.Line, e.Err)
	}
	return fmt.Sprintf("damaged state: corrupt file %s at offset %d: %v", e.Path, e.Offset, e.Err)
}

// Unwrap returns the underlying cause.
func (e *CorruptError) Unwrap() error { return e.Err }

// Is reports whether target is ErrCorrupt.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt || target == ErrDamaged }

// LockedError is returned by Lock when another live process holds the lock.
// Holder is what that process wrote into the lock file; it is zero if the
// holder had not written it yet.
type LockedError struct {
	Path   string
	Holder LockInfo
}

func (e *LockedError) Error() string {
	h := e.Holder
	return fmt.Sprintf("lock %s: held by pid %d on %q since %s (%s)",
		e.Path, h.PID, h.Host, h.Started.Format("2006-01-02T15:04:05Z07:00"), h.Command)
}

// Unwrap returns ErrLocked, so errors.Is(err, ErrLocked) holds.
func (e *LockedError) Unwrap() error { return ErrLocked }

// ErrDamaged is matched by every *DamagedError.
var ErrDamaged = errors.New("damaged state")

// DamagedError refuses to resume a state directory whose files disagree
// with each other: a journal generation the snapshot counts on is missing,
// a report is shorter than the snapshot recorded, counts differ from the
// reports' rows. Nothing is deleted or restarted: the operator must look
// (or start over with --restart, knowingly).
type DamagedError struct {
	Path    string // the file that disagrees
	Problem string // what disagrees, for people
	Err     error  // the underlying cause, if any
}

func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("damaged state: %s: %s", e.Path, e.Problem)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg + "; nothing was changed (inspect the state directory, or run with --restart to start over)"
}

// Unwrap returns the cause and ErrDamaged, so errors.Is(err, ErrDamaged) holds.
func (e *DamagedError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrDamaged}
	}
	return []error{ErrDamaged, e.Err}
}
