package sqlsrc

import (
	"context"
	"fmt"
	"io"
	"io/fs"

	"github.com/ciam-import/ciam-import/importer/source"
)

// page is a batch of rows from the fetcher; err, if set, follows them.
type page struct {
	rows
	err error
}

// reader is a keyset read. A fetcher goroutine reads the next page while
// the caller works through the current one: at most three pages are in
// memory (one read, one waiting, one being fetched), as the server's text;
// Next makes each record when it is asked for.
type reader struct {
	src    *Source
	pages  chan page
	cancel context.CancelFunc
	done   chan struct{}
	at     position // after the last record returned
	cur    rows     // the page being read
	i      int      // the next row of cur
	vals   [][]byte // row's buffer
	err    error
	closed bool
}

// Open starts a read after cursor ("" for the start), on a new connection.
// It fails with source.ErrCursor for a cursor not made by a Source, and
// source.ErrChanged for one made when the key column had another type or
// when the rows up to the cursor are not the ones passed (see
// checkPassed). A cursor carries the last key, its ordinal (the number of
// rows passed) and a checksum of the passed keys: the read goes on with the
// first row whose key is greater, numbered from the ordinal on. Rows
// inserted since with greater keys are read; rows inserted or deleted with
// keys at or below the cursor refuse the resume; rows changed in place
// there are not seen.
func (s *Source) Open(cursor string) (source.Reader, error) {
	pos, err := parseCursor(cursor, s.class)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.name(), err)
	}
	be, err := s.dial()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.name(), err)
	}
	be.setKey(s.cols, s.class)
	if pos, err = s.checkPassed(be, pos); err != nil {
		be.close()
		return nil, fmt.Errorf("open %s: %w", s.name(), err)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	r := &reader{src: s, pages: make(chan page, 1), cancel: cancel, done: make(chan struct{}), at: pos,
		vals: make([][]byte, len(s.cols))}
	go r.fetch(ctx, be, pos)
	return r, nil
}

// fetch reads pages until the end, an error or cancellation, then closes
// the connection.
func (r *reader) fetch(ctx context.Context, be backend, pos position) {
	defer close(r.done)
	defer be.close()
	defer close(r.pages)
	size := 0
	for {
		p, next, more := r.src.fetchPage(ctx, be, pos, size)
		size = len(p.data)
		select {
		case r.pages <- p:
		case <-ctx.Done():
			return
		}
		if p.err != nil || !more {
			return
		}
		pos = next
	}
}

// Next returns the next record, or io.EOF after the last; see source.Reader.
func (r *reader) Next() (source.Record, error) {
	if r.closed {
		return source.Record{}, fmt.Errorf("read %s: %w", r.src.name(), fs.ErrClosed)
	}
	for r.i >= r.cur.n {
		if r.err != nil {
			return source.Record{}, r.err
		}
		p, ok := <-r.pages
		if !ok {
			r.err = io.EOF
			if err := r.src.ctx.Err(); err != nil {
				r.err = fmt.Errorf("read %s: %w", r.src.name(), err)
			}
			continue
		}
		r.cur, r.i, r.err = p.rows, 0, p.err
	}
	rec, key := r.src.record(r.cur.row(r.i, r.vals), r.cur.first+int64(r.i))
	r.at = r.at.after(key)
	rec.Next = r.at.cursor()
	r.i++
	if r.i == r.cur.n {
		r.cur = rows{} // done with its buffer
	}
	return rec, nil
}

// Header returns the result's column names; see Source.Header.
func (r *reader) Header() []string { return r.src.Header() }

// Close stops the fetcher and closes the connection. Calling it again
// returns nil.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.cancel()
	<-r.done
	return nil
}
