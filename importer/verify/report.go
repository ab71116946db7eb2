package verify

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strconv"

	"github.com/ciam-import/ciam-import/importer/state"
)

// ReportFile is verify's report: one line per row in input order, then the
// extra users; mode 0600, replaced atomically when the verify ends.
const ReportFile = "verify.csv"

// reportHeader are verify.csv's columns.
var reportHeader = []string{"line", "key", "verdict", "fields", "user_id"}

// reportWriter streams verify.csv into state.WriteFileAtomicFrom: until
// close, the previous report (if any) stays in place.
type reportWriter struct {
	pw   *io.PipeWriter
	buf  *bufio.Writer
	csv  *csv.Writer
	done chan error
}

func openReport(dir string) (*reportWriter, error) {
	pr, pw := io.Pipe()
	w := &reportWriter{pw: pw, done: make(chan error, 1)}
	go func() {
		err := state.WriteFileAtomicFrom(filepath.Join(dir, ReportFile), pr, 0o600)
		pr.CloseWithError(errors.Join(err, io.ErrClosedPipe)) // a failed write stops the writer
		w.done <- err
	}()
	w.buf = bufio.NewWriterSize(pw, 256<<10)
	w.csv = csv.NewWriter(w.buf)
	return w, w.csv.Write(reportHeader)
}

func (w *reportWriter) write(r Result) error {
	line := ""
	if r.Line > 0 {
		line = strconv.FormatInt(r.Line, 10)
	}
	return w.csv.Write([]string{line, r.Key, r.Verdict, r.Fields, r.UserID})
}

// close ends the report: with failed nil it replaces verify.csv, otherwise
// it leaves the previous one.
func (w *reportWriter) close(failed error) error {
	w.csv.Flush()
	err := errors.Join(w.csv.Error(), w.buf.Flush())
	if failed == nil && err == nil {
		w.pw.Close()
	} else {
		w.pw.CloseWithError(errors.Join(failed, err, errors.New("verify did not finish")))
	}
	return errors.Join(err, <-w.done)
}
