package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/gocarina/gocsv"
)

// Created is a row of created.csv as ReadCreated returns it: a user this
// state directory created (or, after a lost answer, confirmed by lookup that
// it had created).
type Created struct {
	Line      int64  `csv:"line"`
	Key       string `csv:"key"`
	UserID    string `csv:"user_id"`
	RequestID string `csv:"request_id"`
	Pass      int    `csv:"pass"`
}

// ReadCreated streams the rows of the created.csv at path to fn, in file
// order. The file is opened without following a symlink (state.OpenFile).
// The header must be exactly created.csv's. A row that does not parse is an
// error carrying its line; an error from fn stops the read and is returned
// as is. A missing file is an error (errors.Is fs.ErrNotExist).
func ReadCreated(path string, fn func(Created) error) error {
	f, err := state.OpenFile(path, 0, 0)
	if err != nil {
		return fmt.Errorf("read created: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	um, err := gocsv.NewUnmarshaller(r, Created{})
	if err == io.EOF {
		return fmt.Errorf("read %s: no header", path)
	} else if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if got := strings.Join(um.Headers, ","); got != columns(CreatedFile) {
		return fmt.Errorf("read %s: header is %q, want %q", path, got, columns(CreatedFile))
	}
	for {
		v, err := um.Read()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return rowError(path, r, err)
		}
		if err := fn(v.(Created)); err != nil {
			return err
		}
	}
}
