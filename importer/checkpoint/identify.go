package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source"
)

// KeyFunc reads a record's legacy key as the mapping does ("" when it has
// none). A retry pass checks each row it reads again against the key its
// queue recorded.
type KeyFunc func(fields map[string]any) string

// GoneError is the Err of a retry pass's record whose queued row the input
// no longer has, under its ID or anywhere else: the row is settled by a
// lookup of Key, never sent.
type GoneError struct {
	Line int64  // the queue's line
	ID   string // the queue's id
	Key  string // the queue's legacy key
	Why  string // what the input has at ID instead
}

func (e *GoneError) Error() string {
	return fmt.Sprintf("the input no longer has the row of legacy key %q queued for retry (line %d, id %s): %s", e.Key, e.Line, e.ID, e.Why)
}

// identify reads the queued rows again by ID and checks each against its
// queued legacy key: an input re-exported since the queue was written may
// hold another row at that offset. A row whose key differs (or that is no
// longer there) is looked for by its key in a scan of the whole input:
// found once, that record is served; found nowhere, a record with a
// *GoneError; found more than once, the pass is refused (*MismatchError)
// before anything is sent. Without keyOf, or for a queue row without a
// key (written by an older version), rows are served by ID alone.
func identify(in source.Input, rows []outcome.Row, keyOf KeyFunc) ([]source.Record, error) {
	ids := make([]string, len(rows))
	for k, r := range rows {
		ids[k] = r.ID
	}
	recs, err := readAll(in.Reread(ids))
	if err != nil {
		return nil, err
	}
	if len(recs) != len(rows) {
		return nil, fmt.Errorf("read retry queue rows: %d records for %d ids", len(recs), len(rows))
	}
	lost := map[string][]int{} // queued key -> queue rows whose ID now holds something else
	for k, r := range rows {
		recs[k].Line = r.Line
		if keyOf == nil || r.Key == "" || recs[k].Err == nil && keyOf(recs[k].Fields) == r.Key {
			continue
		}
		lost[r.Key] = append(lost[r.Key], k)
	}
	if len(lost) == 0 {
		return recs, nil
	}
	found, err := scanKeys(in, lost, keyOf)
	if err != nil {
		return nil, err
	}
	for key, ks := range lost {
		for _, k := range ks {
			if recs[k], err = relocate(rows[k], recs[k], found[key]); err != nil {
				return nil, err
			}
		}
	}
	return recs, nil
}

// relocate is the record to serve for queue row r, whose ID now holds had
// (another row, or none): the one record of the input with r's key.
func relocate(r outcome.Row, had source.Record, found []source.Record) (source.Record, error) {
	switch len(found) {
	case 0:
		why := "another row is there now"
		if had.Err != nil {
			why = had.Err.Error()
		}
		return source.Record{ID: r.ID, Line: r.Line, Err: &GoneError{Line: r.Line, ID: r.ID, Key: r.Key, Why: why}}, nil
	case 1:
		return found[0], nil
	}
	lines := make([]string, len(found))
	for i, f := range found {
		lines[i] = fmt.Sprint(f.Line)
	}
	return source.Record{}, &MismatchError{Diffs: []string{fmt.Sprintf(
		"retry queue line %d (id %s) holds legacy key %q, and the input changed since: id %s no longer holds it and lines %s all do, so retry cannot tell which row to send (nothing was sent); "+
			"run a full pass with ciam-import run --restart", r.Line, r.ID, r.Key, r.ID, strings.Join(lines, ", "))}}
}

// scanKeys reads the whole input and returns its records whose key is one
// of want's.
func scanKeys(in source.Input, want map[string][]int, keyOf KeyFunc) (map[string][]source.Record, error) {
	rd, err := in.Open("")
	if err != nil {
		return nil, fmt.Errorf("scan input for the retry queue's keys: %w", err)
	}
	defer rd.Close()
	found := map[string][]source.Record{}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return found, nil
		}
		if err != nil {
			return nil, fmt.Errorf("scan input for the retry queue's keys: %w", err)
		}
		if rec.Err != nil {
			continue
		}
		if key := keyOf(rec.Fields); want[key] != nil {
			rec.Next, rec.Pos = "", 0
			found[key] = append(found[key], rec)
		}
	}
}

// readAll reads every record of rd and closes it.
func readAll(rd source.Reader, err error) ([]source.Record, error) {
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var out []source.Record
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}
