package sqlsrc

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ciam-import/ciam-import/importer/source"
)

// checkPassed checks, for a resume at pos, that the rows with keys up to
// pos's are the ones the job passed: as many (pos.n) and, for a cursor
// with a checksum, with the same keys (the sum of their keyHash; a delete
// plus an insert keeps the count but changes the sum, unless the hashes
// collide, a chance of 2^-60). It fails with source.ErrChanged saying what
// changed. It returns pos with the server's sum when the cursor had none
// (version 1), so that the cursors after it have one. Rows changed in place
// (same key) are not seen. The server counts and sums over the key (an
// index scan for a keyed table), once per resume.
func (s *Source) checkPassed(be backend, pos position) (position, error) {
	if pos.n == 0 {
		return pos, nil
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
	defer cancel()
	n, sum, err := be.passed(ctx, pos.key)
	if err != nil {
		return pos, fmt.Errorf("count the rows up to the resume point: %w", err)
	}
	switch {
	case n != pos.n:
		return pos, fmt.Errorf("%w: %d rows with keys up to %q now, %d when the job passed them: %s",
			source.ErrChanged, n, pos.key, pos.n, passedAdvice)
	case pos.summed && sum != pos.sum:
		return pos, fmt.Errorf("%w: the %d rows with keys up to %q are not the ones the job passed (as many, other keys): %s",
			source.ErrChanged, n, pos.key, passedAdvice)
	}
	pos.sum, pos.summed = sum, true
	return pos, nil
}

// passedAdvice says what a refused resume means and what to do.
const passedAdvice = "rows were inserted or deleted before the resume point, and a resume reads only the keys after it; " +
	"the settled rows stay settled; to import the new rows, start over (--restart, or a fresh --state-dir) with the " +
	"--ledger of this job (rows in it are skipped without a request), or restore the table as it was and resume"

// passed selects the number of rows with keys up to param 1 (in the read's
// order) and the sum of their keyHash modulo 2^64, as text. Both servers
// hash the key's text in UTF-8, as they print it to this package: concat
// keeps a char(n) key's padding as PostgreSQL prints it.
func (st statements) passed() string {
	const mod = "18446744073709551616" // 2^64
	where := " FROM " + st.from + " WHERE " + st.orderBy + " <= " + st.param(1)
	if st.flavor == mysql {
		return "SELECT COUNT(*), CAST(COALESCE(MOD(SUM(CAST(CONV(SUBSTRING(MD5(CONVERT(" + st.key +
			" USING utf8mb4)), 1, 15), 16, 10) AS UNSIGNED)), " + mod + "), 0) AS CHAR)" + where
	}
	return "SELECT count(*), COALESCE(sum(('x' || substr(md5(convert_to(concat(" + st.key +
		"), 'UTF8')), 1, 15))::bit(60)::bigint) % " + mod + ", 0)::text" + where
}

// parsePassed reads the two values of the passed query.
func parsePassed(count, sum []byte) (int64, uint64, error) {
	n, err := strconv.ParseInt(string(count), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("row count %q: %w", count, err)
	}
	s, err := strconv.ParseUint(string(sum), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("key checksum %q: %w", sum, err)
	}
	return n, s, nil
}

// passed counts the rows with keys up to key and sums their keyHash.
func (b *pgBackend) passed(ctx context.Context, key string) (n int64, sum uint64, err error) {
	found := false
	err = b.query(ctx, b.st.passed(), [][]byte{[]byte(key)}, false, func(v [][]byte) error {
		found = true
		n, sum, err = parsePassed(v[0], v[1])
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("query: no result")
	}
	return n, sum, err
}

// passed counts the rows with keys up to key and sums their keyHash.
func (b *myBackend) passed(ctx context.Context, key string) (int64, uint64, error) {
	defer b.killOnCancel(ctx)()
	var count, sum []byte
	if err := b.db.QueryRowContext(ctx, b.st.passed(), b.arg(key)).Scan(&count, &sum); err != nil {
		return 0, 0, fmt.Errorf("query: %w", err)
	}
	return parsePassed(count, sum)
}
