package sqlsrc

import (
	"context"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/source"
)

// fetchPage reads the page after pos, retrying once on a new connection
// when the connection was lost. It returns the records (with the error that
// stopped them, if any), the position after the last, and whether rows
// may follow.
func (s *Source) fetchPage(ctx context.Context, be backend, pos position) (page, position, bool) {
	var (
		p    page
		next position
		more bool
	)
	for attempt := 0; ; attempt++ {
		p, next, more = s.tryPage(ctx, be, pos)
		if p.err == nil || attempt > 0 || ctx.Err() != nil || !be.retryable(p.err) {
			break
		}
	}
	if p.err != nil {
		p.err = fmt.Errorf("read %s: %w", s.name(), p.err)
	}
	return p, next, more
}

// tryPage runs one page query. It asks for one row more than a page: that
// row is not returned (the next page starts with it) but shows whether
// more rows follow and whether the page's last key is duplicated. Keys must
// come strictly increasing; an equal key is a *DuplicateKeyError and a
// smaller one ErrKeyOrder, after the records before it.
func (s *Source) tryPage(ctx context.Context, be backend, pos position) (page, position, bool) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	recs := make([]source.Record, 0, s.cfg.PageSize)
	last, more := pos, false
	err := be.page(ctx, pos.key, pos.n == 0, func(vals [][]byte) error {
		n := last.n + 1
		rec, key, null := s.record(vals, n)
		if null {
			return s.nullKeyError(n)
		}
		if last.n > 0 {
			if err := s.checkOrder(last, key); err != nil {
				return err
			}
		}
		if len(recs) == s.cfg.PageSize {
			more = true
			return nil
		}
		recs = append(recs, rec)
		last = position{n: n, class: s.class, key: key}
		return nil
	})
	return page{recs: recs, err: err}, last, more
}

// checkOrder checks that key comes after the previous row's.
func (s *Source) checkOrder(prev position, key string) error {
	switch c := compareKeys(s.class, prev.key, key); {
	case c == 0:
		return &DuplicateKeyError{Key: s.cfg.Key, Value: key, Row: prev.n}
	case c > 0:
		return fmt.Errorf("%w: key %q came after %q (row %d); is the key column's type or collation unusual?",
			ErrKeyOrder, key, prev.key, prev.n)
	}
	return nil
}
