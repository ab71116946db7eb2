package report

import (
	"fmt"
	"io"

	"github.com/ciam-import/ciam-import/importer/state"
)

// Rotate moves the rows of report name to the file dest and restarts name
// with only its header, for a new pass: typically retryable.csv becoming
// the queue of a retry pass. It syncs every report, then copies name's
// content to dest atomically (dest+".tmp", fsync, rename, fsync dir),
// replacing any earlier dest.
//
// From then on Sizes reports name at its header size, but the file itself
// is only cut back when the next row is flushed into it. So the caller must
// write a snapshot with the new Sizes before writing rows to name. A crash
// before that snapshot leaves the previous snapshot valid (every byte it
// counts is still in the file) and running Rotate again yields the same
// dest; after it, OpenWriter cuts the old rows off.
func (w *Writer) Rotate(name, dest string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	rf, ok := w.files[name]
	if !ok {
		return fmt.Errorf("rotate: no report %q", name)
	}
	if err := w.syncLocked(); err != nil {
		return err
	}
	content := io.NewSectionReader(rf.f, 0, rf.synced)
	if err := state.WriteFileAtomicFrom(dest, content, 0o600); err != nil {
		return fmt.Errorf("rotate %s: %w", name, err)
	}
	h := int64(len(headers[name]))
	rf.written, rf.synced, rf.cutTo = h, h, h
	return nil
}
