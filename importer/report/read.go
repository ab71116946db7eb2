package report

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/ciam-import/ciam-import/importer/state"
)

// ReadRetryable streams the rows of the retryable.csv at path to fn, in file
// order. The header must be exactly retryable.csv's. A row that does not
// parse is an error carrying its line; an error from fn stops the read and
// is returned as is. Read only files that were synced and not written to
// since, e.g. a finished pass's report.
func ReadRetryable(path string, fn func(Retryable) error) error {
	f, err := state.OpenFile(path, os.O_RDONLY, 0) // never blocks on a FIFO, never through a symlink
	if err != nil {
		return fmt.Errorf("read retryable: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	um, err := gocsv.NewUnmarshaller(r, Retryable{})
	if err == io.EOF {
		return fmt.Errorf("read %s: no header", path)
	} else if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if got := strings.Join(um.Headers, ","); got != columns(RetryableFile) {
		return fmt.Errorf("read %s: header is %q, want %q", path, got, columns(RetryableFile))
	}
	for {
		v, err := um.Read()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return rowError(path, r, err)
		}
		if err := fn(v.(Retryable).restored()); err != nil {
			return err
		}
	}
}

// rowError wraps err with path and, when encoding/csv did not already say
// it, the line of the record that failed to convert.
func rowError(path string, r *csv.Reader, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	line, _ := r.FieldPos(0)
	return fmt.Errorf("read %s: line %d: %w", path, line, err)
}

// Count returns the number of data rows (records after the header) in the
// report file at path, as the file is now: after a crash it includes rows
// past the snapshot's recorded size, which a resume drops. An empty file
// counts 0. A missing file is an error (errors.Is fs.ErrNotExist).
func Count(path string) (int64, error) {
	f, err := state.OpenFile(path, os.O_RDONLY, 0) // never blocks on a FIFO, never through a symlink
	if err != nil {
		return 0, fmt.Errorf("count rows: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	n := int64(0)
	for {
		_, err := r.Read()
		if err == io.EOF {
			return max(n-1, 0), nil
		} else if err != nil {
			return 0, fmt.Errorf("count rows in %s: %w", path, err)
		}
		n++
	}
}

// restored is r with its text cells as they were before Neutralise.
func (r Retryable) restored() Retryable {
	r.ID, r.Key, r.Code, r.Message = Restore(r.ID), Restore(r.Key), Restore(r.Code), Restore(r.Message)
	return r
}
