package dedup

import (
	"bufio"
	"errors"
	"fmt"
	"io"
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
// dir/name, synced when sync is set, and opens it. add sees every hash.
func writeRun(dir, name string, sync bool, next func() (record, bool), add func(uint64)) (*run, error) {
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path+".tmp", os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write run %s: %w", name, err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	r := &run{name: name}
	var b [recordSize]byte
	for rec, ok := next(); ok; rec, ok = next() {
		if r.n%blockRecords == 0 {
			r.index = append(r.index, rec.h)
		}
		rec.put(b[:])
		if _, err = w.Write(b[:]); err != nil {
			break
		}
		add(rec.h)
		r.n++
	}
	if err == nil {
		err = w.Flush()
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

// openRun opens dir/name and builds its index; add sees every hash.
func openRun(dir, name string, add func(uint64)) (*run, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("open run %s: %w", name, err)
	}
	r := &run{name: name, f: f}
	it := r.iter()
	var prev uint64
	for rec, ok := it.next(); ok; rec, ok = it.next() {
		if rec.h <= prev {
			err = errors.New("records out of order")
			break
		}
		if r.n%blockRecords == 0 {
			r.index = append(r.index, rec.h)
		}
		prev = rec.h
		add(rec.h)
		r.n++
	}
	if err == nil {
		err = it.err
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open run %s: damaged: %w", name, err)
	}
	return r, nil
}

// get finds h in the run.
func (r *run) get(h uint64) (record, bool, error) {
	i := sort.Search(len(r.index), func(i int) bool { return r.index[i] > h }) - 1
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

// runIter reads a run's records in order.
type runIter struct {
	br  *bufio.Reader
	err error
}

func (r *run) iter() *runIter {
	return &runIter{br: bufio.NewReaderSize(io.NewSectionReader(r.f, 0, 1<<62), 1<<16)}
}

func (it *runIter) next() (record, bool) {
	var b [recordSize]byte
	if _, err := io.ReadFull(it.br, b[:]); err != nil {
		if !errors.Is(err, io.EOF) {
			it.err = err
		}
		return record{}, false
	}
	return getRecord(b[:]), true
}
