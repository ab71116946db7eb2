package sqlsrc

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"

	"github.com/ciam-import/ciam-import/importer/source"
)

// rereader returns the rows with given keys, in the order given, querying
// them rereadBatch keys at a time as Next needs them.
type rereader struct {
	src    *Source
	be     backend
	ids    []string
	cur    []source.Record
	err    error
	closed bool
}

// Reread reads again the rows with these keys (Record.ID values), in this
// order, on a new connection; see source.Input. The records have Line and
// Pos 0 and no Next: they are not a place to resume from. A key that no
// longer matches a row, or that cannot be a key of the key column's type,
// gives a record with only ID and Err, a *source.RecordError wrapping
// ErrRowGone. Keys are matched exactly (bytes), whatever the collation.
func (s *Source) Reread(ids []string) (source.Reader, error) {
	be, err := s.dial()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.name(), err)
	}
	be.setKey(s.cols, s.class)
	return &rereader{src: s, be: be, ids: ids}, nil
}

// Next returns the next record, or io.EOF after the last; see source.Reader.
func (r *rereader) Next() (source.Record, error) {
	if r.closed {
		return source.Record{}, fmt.Errorf("read %s: %w", r.src.name(), fs.ErrClosed)
	}
	if len(r.cur) == 0 && r.err == nil {
		if len(r.ids) == 0 {
			r.err = io.EOF
		} else {
			n := min(len(r.ids), rereadBatch)
			r.cur, r.err = r.src.fetchKeys(r.be, r.ids[:n])
			r.ids = r.ids[n:]
		}
	}
	if r.err != nil {
		return source.Record{}, r.err
	}
	rec := r.cur[0]
	r.cur = r.cur[1:]
	return rec, nil
}

// fetchKeys returns the records for ids, in order, retrying once on a new
// connection when the connection was lost.
func (s *Source) fetchKeys(be backend, ids []string) ([]source.Record, error) {
	recs, err := s.tryKeys(be, ids)
	if err != nil && s.ctx.Err() == nil && be.retryable(err) {
		recs, err = s.tryKeys(be, ids)
	}
	if err != nil {
		return nil, fmt.Errorf("reread %s: %w", s.name(), err)
	}
	return recs, nil
}

// tryKeys queries the valid keys among ids and lines the rows up with ids.
func (s *Source) tryKeys(be backend, ids []string) ([]source.Record, error) {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
	defer cancel()
	var valid []string
	for _, id := range ids {
		if validKey(s.class, id) {
			valid = append(valid, id)
		}
	}
	found := make(map[string]source.Record, len(valid))
	if len(valid) > 0 {
		err := be.keys(ctx, valid, func(vals [][]byte) error {
			rec, key := s.record(vals, 0)
			found[key] = rec
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	recs := make([]source.Record, len(ids))
	used := make(map[string]bool, len(found))
	for i, id := range ids {
		rec, ok := found[id]
		switch {
		case !ok:
			rec = source.Record{ID: id, Err: &source.RecordError{File: s.name(), Field: s.cfg.Key, Err: ErrRowGone}}
		case used[id]: // asked twice: each record gets its own map
			rec.Fields = maps.Clone(rec.Fields)
		}
		used[id] = true
		recs[i] = rec
	}
	return recs, nil
}

// Header returns the result's column names; see Source.Header.
func (r *rereader) Header() []string { return r.src.Header() }

// Close closes the connection. Calling it again returns nil.
func (r *rereader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	return r.be.close()
}
