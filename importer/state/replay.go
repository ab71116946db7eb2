package state

import (
	"fmt"
	"os"
)

// ReplayJournal calls fn for each entry of the journal at path, starting at
// byte from (a Snapshot's JournalSize, or 0), with the offset just past the
// entry. It returns validEnd, the offset just past the last entry handed to
// fn.
//
// A crash can tear the last line: if it lacks its '\n' or is not a valid
// entry, replay stops before it without error, and validEnd < file size
// tells the caller to TruncateFile(path, validEnd) before OpenJournal. A
// malformed line followed by more data is a *CorruptError (errors.Is
// ErrCorrupt), as is a from beyond the end of the file or not at a line
// start. A missing journal replays as empty when from is 0. An error
// returned by fn stops the replay and is returned unchanged.
func ReplayJournal(path string, from int64, fn func(e Entry, end int64) error) (validEnd int64, err error) {
	return scanJSONL(path, from, fn)
}

// TruncateFile shrinks the file at path to size bytes and fsyncs it. It is
// used to drop a torn journal tail; growing a file is refused.
func TruncateFile(path string, size int64) error {
	f, err := OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("truncate: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("truncate: %w", err)
	}
	if size < 0 || size > fi.Size() {
		return fmt.Errorf("truncate %s to %d bytes: file has %d", path, size, fi.Size())
	}
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("truncate: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("truncate: %w", err)
	}
	return f.Close()
}
