package importer

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// ErrPassUnfinished refuses a retry pass while the current pass still has
// rows to read: finish it with a plain run first.
var ErrPassUnfinished = errors.New("the current pass is not finished")

// startRetryPass turns the retryable report into the queue of a new pass.
// Each step is idempotent, so a crash between them is finished by the next
// run: the queue is renamed into place, the retryable report starts empty,
// and a snapshot of the new pass is written last.
func (st *runState) startRetryPass() error {
	if !st.snap.Done {
		if st.snap.Pass > 0 {
			return nil // resuming a retry pass
		}
		return ErrPassUnfinished
	}
	if st.snap.Counts.Retryable == 0 {
		return nil // nothing to retry; the run just reports
	}
	if err := st.reports.Sync(); err != nil {
		return err
	}
	if err := st.reports.Rotate(report.RetryableFile, st.dir.RetryQueue()); err != nil {
		return fmt.Errorf("start retry pass: %w", err)
	}
	st.snap.Pass++
	st.snap.Done = false
	st.snap.Offset, st.snap.Line, st.snap.InFlight = 0, 0, nil
	st.snap.Counts.Retryable = 0
	st.snap.JournalGen, st.snap.JournalSize = st.gen, st.journal.Size()
	st.snap.Reports = st.reports.Sizes()
	return state.WriteSnapshot(st.dir.Snapshot(), st.snap)
}

// retrySource reads the input rows a retry queue names, in input order,
// skipping those before the resume position.
type retrySource struct {
	input string
	opt   source.Options
	rows  []report.Retryable
	next  int
}

func openRetrySource(queue, input string, opt source.Options) (source.Reader, error) {
	rs := &retrySource{input: input, opt: opt}
	err := report.ReadRetryable(queue, func(r report.Retryable) error {
		if r.Offset >= opt.Offset {
			rs.rows = append(rs.rows, r)
		}
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read retry queue: %w", err)
	}
	return rs, nil
}

// Next reads the next queued row from the input by its offset.
func (rs *retrySource) Next() (source.Record, error) {
	if rs.next >= len(rs.rows) {
		return source.Record{}, io.EOF
	}
	r := rs.rows[rs.next]
	rs.next++
	o := rs.opt
	o.Offset, o.Line = r.Offset, r.Line
	src, err := source.Open(rs.input, o)
	if err != nil {
		return source.Record{}, err
	}
	defer src.Close()
	rec, err := src.Next()
	if errors.Is(err, io.EOF) {
		return source.Record{}, fmt.Errorf("retry queue row at line %d: input ends before offset %d", r.Line, r.Offset)
	}
	return rec, err
}

// Header is not used for retry passes.
func (rs *retrySource) Header() []string { return nil }

// Close releases nothing: each row's reader is closed after its read.
func (rs *retrySource) Close() error { return nil }
