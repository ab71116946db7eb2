package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// ErrPassUnfinished refuses a retry pass while the current pass still has
// rows to read: finish it with a plain run first.
var ErrPassUnfinished = errors.New("the current pass is not finished")

// writeRetrySnapshot writes the snapshot that starts a retry pass; a test
// replaces it to fail that write (a full disk).
var writeRetrySnapshot = state.WriteSnapshot

// startRetryPass turns the retryable report into the queue of a new pass.
// Each step is idempotent, so a crash between them is finished by the next
// run: the queue is renamed into place, the retryable report starts empty,
// and a snapshot of the new pass is written last.
func (st *State) startRetryPass() error {
	if !st.Snap.Done {
		if st.Snap.Pass > 0 {
			return nil // resuming a retry pass
		}
		return ErrPassUnfinished
	}
	if st.Snap.Counts.Of(outcome.Retryable) == 0 {
		return nil // nothing to retry; the run just reports
	}
	if err := st.reports.Sync(); err != nil {
		return err
	}
	if err := st.reports.Rotate(report.RetryableFile, st.Dir.RetryQueue()); err != nil {
		return fmt.Errorf("start retry pass: %w", err)
	}
	st.Snap.Pass++
	st.Snap.Done = false
	st.Snap.Cursor, st.Snap.Line, st.Snap.Pos, st.Snap.InFlight = "", 0, 0, nil
	st.Snap.Counts[outcome.Retryable.Name] = 0
	st.Snap.JournalGen, st.Snap.JournalSize = st.gen, st.journal.Size()
	st.Snap.Reports = st.reports.Sizes()
	return writeRetrySnapshot(st.Dir.Snapshot(), st.Snap)
}

// retrySource serves the input rows a retry queue names, in queue order,
// from the resume position on, each checked against the legacy key the
// queue recorded (see identify). Its cursor is the number of queue rows
// settled; each record keeps the line the queue gives it.
type retrySource struct {
	recs []source.Record
	done int // queue rows before the first one read
	next int
}

func openRetrySource(queue string, in source.Input, cursor string, keyOf KeyFunc) (source.Reader, error) {
	done := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%w: retry pass cursor %q", source.ErrCursor, cursor)
		}
		done = n
	}
	var rows []outcome.Row
	i := 0
	err := report.Read(queue, outcome.Retryable, func(r outcome.Row, _ int) error {
		if i >= done {
			rows = append(rows, r)
		}
		i++
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read retry queue: %w", err)
	}
	recs, err := identify(in, rows, keyOf)
	if err != nil {
		return nil, err
	}
	return &retrySource{recs: recs, done: done}, nil
}

// Next reads the next queued row.
func (rs *retrySource) Next() (source.Record, error) {
	if rs.next == len(rs.recs) {
		return source.Record{}, io.EOF
	}
	rec := rs.recs[rs.next]
	rs.next++
	n := rs.done + rs.next
	rec.Next, rec.Pos = strconv.Itoa(n), int64(n)
	return rec, nil
}

// Header is not used for retry passes: the main pass checked it.
func (rs *retrySource) Header() []string { return nil }

// Close releases nothing: identify read the rows and closed the input.
func (rs *retrySource) Close() error { return nil }
