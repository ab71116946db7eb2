package dedup

import (
	"cmp"
	"math/bits"
	"slices"
)

// memBucket is how many records a bucket of the in-memory table holds.
const memBucket = 128

// memTable holds the newest records in memory, in buckets by the top bits
// of their hash: a bucket is an array filled in order, so adding a record
// writes the end of one of a few thousand buckets (memory the cache
// holds), where a hash table would miss the cache on every add. Lookups
// scan one bucket; the filter in front of the table spares most of them.
// It is written out as a sorted run when full: the buckets are already
// in hash order, each is sorted on its own. A record that finds its bucket
// full (the log of an older version replayed) goes to overflow.
type memTable struct {
	recs     []record // bucket b: recs[b*memBucket:][:counts[b]]
	counts   []int32
	shift    uint // bucket: h >> shift
	cap      int  // records per bucket
	fullest  int  // the largest count
	overflow []record
	n        int
}

// newMemTable makes a table of about slots records (a power of two).
func newMemTable(slots int) *memTable {
	c := min(memBucket, slots)
	nb := slots / c
	return &memTable{recs: make([]record, nb*c), counts: make([]int32, nb), cap: c,
		shift: uint(64 - bits.TrailingZeros(uint(nb)))}
}

func (m *memTable) bucket(h uint64) int {
	if m.shift == 64 { // one bucket
		return 0
	}
	return int(h >> m.shift)
}

// full says a bucket is full: the next record may not fit.
func (m *memTable) full() bool { return m.room() == 0 }

// room is how many more records the table surely takes.
func (m *memTable) room() int {
	if len(m.overflow) > 0 {
		return 0
	}
	return m.cap - m.fullest
}

// capacity is about how many records the table takes when empty (it is
// written out when its fullest bucket is full, at about 3/4 load).
func (m *memTable) capacity() int { return len(m.recs) * 3 / 4 }

// fits is how many of recs, in order, the table takes before a bucket is
// full.
func (m *memTable) fits(recs []record) int {
	if len(m.overflow) > 0 {
		return 0
	}
	added := map[int]int32{}
	for i, r := range recs {
		b := m.bucket(r.h)
		if m.counts[b]+added[b] >= int32(m.cap) {
			return i
		}
		added[b]++
	}
	return len(recs)
}

func (m *memTable) get(h uint64) (record, bool) {
	b := m.bucket(h)
	for _, r := range m.recs[b*m.cap:][:m.counts[b]] {
		if r.h == h {
			return r, true
		}
	}
	for _, r := range m.overflow {
		if r.h == h {
			return r, true
		}
	}
	return record{}, false
}

// put adds r; the caller adds no hash twice (Check looks it up first,
// Flush drops what the table holds).
func (m *memTable) put(r record) {
	b := m.bucket(r.h)
	c := int(m.counts[b])
	if c == m.cap {
		m.overflow = append(m.overflow, r)
	} else {
		m.recs[b*m.cap+c] = r
		m.counts[b]++
		m.fullest = max(m.fullest, c+1)
	}
	m.n++
}

// sorted returns an iterator over the records by hash, for writing a run;
// it only reads the table, so lookups may go on while it runs: a bucket
// at a time is copied and sorted.
func (m *memTable) sorted() func() (record, bool) {
	over := slices.Clone(m.overflow)
	slices.SortFunc(over, byHash)
	var in, buf []record
	b, at := 0, 0
	return func() (record, bool) {
		for at == len(buf) && b < len(m.counts) {
			in = append(in[:0], m.recs[b*m.cap:][:m.counts[b]]...)
			for len(over) > 0 && m.bucket(over[0].h) == b {
				in, over = append(in, over[0]), over[1:]
			}
			buf = m.sortBucket(in, buf)
			b, at = b+1, 0
		}
		if at == len(buf) {
			return record{}, false
		}
		at++
		return buf[at-1], true
	}
}

func byHash(a, b record) int { return cmp.Compare(a.h, b.h) }

// sortBucket sorts the records of one bucket by hash into out: by the 4
// bits below the bucket's first (a counting sort), then by insertion,
// which has little left to do.
func (m *memTable) sortBucket(in, out []record) []record {
	sh := m.shift - 4
	var at [17]int
	for _, r := range in {
		at[(r.h>>sh)&15+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	out = slices.Grow(out[:0], len(in))[:len(in)]
	for _, r := range in {
		d := (r.h >> sh) & 15
		out[at[d]] = r
		at[d]++
	}
	sortRecords(out)
	return out
}

// sortRecords sorts nearly sorted records by hash (insertion sort).
func sortRecords(rs []record) {
	for i := 1; i < len(rs); i++ {
		r, j := rs[i], i
		for ; j > 0 && rs[j-1].h > r.h; j-- {
			rs[j] = rs[j-1]
		}
		rs[j] = r
	}
}

// eachIn calls fn with every hash of the filter's segment s in the table:
// the records of the s-th sixteenth of the buckets.
func (m *memTable) eachIn(s int, fn func(uint64)) {
	nb := len(m.counts)
	lo, hi := 0, nb
	if nb >= filterSegs {
		lo, hi = s*nb/filterSegs, (s+1)*nb/filterSegs
	}
	for b := lo; b < hi; b++ {
		for _, r := range m.recs[b*m.cap:][:m.counts[b]] {
			if segment(r.h) == s {
				fn(r.h)
			}
		}
	}
	for _, r := range m.overflow {
		if segment(r.h) == s {
			fn(r.h)
		}
	}
}

func (m *memTable) reset() {
	clear(m.counts)
	m.fullest, m.n, m.overflow = 0, 0, nil
}
