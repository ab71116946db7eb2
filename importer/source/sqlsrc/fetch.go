package sqlsrc

import (
	"context"
	"fmt"
)

// fetchPage reads the page after pos, retrying once on a new connection
// when the connection was lost. It returns the rows (with the error that
// stopped them, if any), the position after the last, and whether rows
// may follow. size is about how many bytes the rows' values take.
func (s *Source) fetchPage(ctx context.Context, be backend, pos position, size int) (page, position, bool) {
	var (
		p    page
		next position
		more bool
	)
	for attempt := 0; ; attempt++ {
		p, next, more = s.tryPage(ctx, be, pos, size)
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
// smaller one ErrKeyOrder, after the rows before it.
func (s *Source) tryPage(ctx context.Context, be backend, pos position, size int) (page, position, bool) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	rs := newRows(pos.n+1, len(s.cols), s.cfg.PageSize, size)
	last, more := pos, false
	err := be.page(ctx, pos.key, pos.n == 0, func(vals [][]byte) error {
		n := last.n + 1
		if vals[s.key] == nil {
			return s.nullKeyError(n)
		}
		key := string(vals[s.key])
		if last.n > 0 {
			if err := s.checkOrder(last, key); err != nil {
				return err
			}
		}
		if rs.n == s.cfg.PageSize {
			more = true
			return nil
		}
		rs.add(vals)
		last = position{n: n, class: s.class, key: key}
		return nil
	})
	return page{rows: rs, err: err}, last, more
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
