package dedup

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"sort"
)

// blockRecords is how many records one index entry covers: a lookup in a
// run reads one block of 1 KiB.
const blockRecords = 64

// run is one immutable file of records sorted by hash, each hash once,
// with an in-memory index of the first hash of every block.
type run struct {
	name  string
	f     *os.File
	n     int
	index []uint64
}

// writeRun writes the records next yields (sorted by hash, each once) to
// dir/name, synced when sync is set, and opens it.
func writeRun(dir, name string, sync bool, next func() (record, bool)) (*run, error) {
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path+".tmp", os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write run %s: %w", name, err)
	}
	r := &run{name: name}
	buf := make([]byte, 0, 1<<16)
	for rec, ok := next(); ok && err == nil; rec, ok = next() {
		if r.n%blockRecords == 0 {
			r.index = append(r.index, rec.h)
		}
		buf = buf[:len(buf)+recordSize]
		rec.put(buf[len(buf)-recordSize:])
		r.n++
		if len(buf) == cap(buf) {
			_, err = f.Write(buf)
			buf = buf[:0]
		}
	}
	if err == nil {
		_, err = f.Write(buf)
	}
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(path+".tmp", path)
	}
	if err != nil {
		_ = os.Remove(path + ".tmp")
		return nil, fmt.Errorf("write run %s: %w", name, err)
	}
	if r.f, err = os.Open(path); err != nil {
		return nil, fmt.Errorf("open run %s: %w", name, err)
	}
	return r, nil
}

// openRun opens dir/name with the index beside it, or builds the index
// from the run's records when that file is missing or damaged, checking
// their order.
func openRun(dir, name string) (*run, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("open run %s: %w", name, err)
	}
	r := &run{name: name, f: f}
	fi, err := f.Stat()
	if err == nil && fi.Size()%recordSize != 0 {
		err = errors.New("torn record at the end")
	}
	if err == nil {
		r.n = int(fi.Size() / recordSize)
		if r.index, err = readWords(dir, name+indexSuffix); err != nil || len(r.index) != (r.n+blockRecords-1)/blockRecords {
			err = r.buildIndex()
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open run %s: damaged: %w", name, err)
	}
	return r, nil
}

// buildIndex reads the run's records into its index.
func (r *run) buildIndex() error {
	r.index = r.index[:0]
	var prev uint64
	i, ordered := 0, true
	err := r.each(func(h uint64) {
		if i > 0 && h <= prev {
			ordered = false
		}
		if i%blockRecords == 0 {
			r.index = append(r.index, h)
		}
		prev = h
		i++
	})
	if err == nil && !ordered {
		err = errors.New("records out of order")
	}
	return err
}

// each calls fn with every hash of the run, in order.
func (r *run) each(fn func(uint64)) error {
	it := r.iter()
	for rec, ok := it.next(); ok; rec, ok = it.next() {
		fn(rec.h)
	}
	return it.err
}

// eachIn calls fn with every hash of the filter's segment s in the run,
// in order: it reads from the block the index says the segment starts in.
func (r *run) eachIn(s int, fn func(uint64)) error {
	lo := uint64(s) << 60
	b := max(0, sort.Search(len(r.index), func(i int) bool { return r.index[i] >= lo })-1)
	it := r.iterAt(int64(b) * blockRecords * recordSize)
	for rec, ok := it.next(); ok && segment(rec.h) <= s; rec, ok = it.next() {
		if segment(rec.h) == s {
			fn(rec.h)
		}
	}
	return it.err
}

// get finds h in the run.
func (r *run) get(h uint64) (record, bool, error) {
	i := r.blockOf(h)
	if i < 0 {
		return record{}, false, nil
	}
	var buf [blockRecords * recordSize]byte
	n := min(blockRecords, r.n-i*blockRecords) * recordSize
	if _, err := r.f.ReadAt(buf[:n], int64(i)*blockRecords*recordSize); err != nil {
		return record{}, false, fmt.Errorf("read run %s: %w", r.name, err)
	}
	blk := buf[:n]
	j := sort.Search(n/recordSize, func(j int) bool { return getRecord(blk[j*recordSize:]).h >= h })
	if j*recordSize < n {
		if rec := getRecord(blk[j*recordSize:]); rec.h == h {
			return rec, true, nil
		}
	}
	return record{}, false, nil
}

// blockOf is the block that would hold h: the last whose first hash is at
// most h; -1 if there is none. Hashes are uniform, so h's block is near
// the fraction h/2^64 of the index: the search starts there and widens
// its steps outwards, touching a few cache lines of the index, where a
// binary search over all of it (5 MB at 4*10^7 records) misses the cache
// at most of its ~20 steps: a lookup after a filter false positive cost
// 1.9 microseconds a run, most of it in that search (make bench, 13c).
func (r *run) blockOf(h uint64) int {
	n := len(r.index)
	if n == 0 {
		return -1
	}
	g, _ := bits.Mul64(h, uint64(n))
	// Invariant once both loops end: lo < 0 or index[lo] <= h, and
	// hi >= n or index[hi] > h.
	lo, hi := int(g), int(g)+1
	for step := 1; lo >= 0 && r.index[lo] > h; step *= 2 {
		lo, hi = lo-step, lo
	}
	for step := 1; hi < n && r.index[hi] <= h; step *= 2 {
		lo, hi = hi, hi+step
	}
	lo, hi = max(lo, -1), min(hi, n)
	return lo + sort.Search(hi-lo-1, func(j int) bool { return r.index[lo+1+j] > h })
}

// runIter reads a run's records in order, a buffer of them at a time.
type runIter struct {
	r   io.Reader
	buf []byte
	at  int // the next record's offset in buf
	err error
}

func (r *run) iter() *runIter { return r.iterAt(0) }

// iterAt reads the records from byte offset off on.
func (r *run) iterAt(off int64) *runIter {
	return &runIter{r: io.NewSectionReader(r.f, off, 1<<62), buf: make([]byte, 0, 1<<16)}
}

func (it *runIter) next() (record, bool) {
	if it.at+recordSize > len(it.buf) {
		n, err := io.ReadFull(it.r, it.buf[:cap(it.buf)])
		it.buf, it.at = it.buf[:n-n%recordSize], 0
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) && n%recordSize != 0:
			it.err = errors.New("torn record at the end")
		case err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
			it.err = err
		}
		if len(it.buf) == 0 {
			return record{}, false
		}
	}
	rec := getRecord(it.buf[it.at:])
	it.at += recordSize
	return rec, true
}
