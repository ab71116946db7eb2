package dedup

import "math/bits"

// memTable is an open-addressing hash table of records, the newest durable
// ones; it is written out as a sorted run when full. A record's home slot
// is the top bits of its hash, so the slots hold the records nearly in
// hash order and sorting them for a run costs little.
type memTable struct {
	slots []record // h == 0: empty
	shift uint     // home slot: h >> shift
	n     int
}

// newMemTable makes a table of slots slots, a power of two.
func newMemTable(slots int) *memTable {
	return &memTable{slots: make([]record, slots), shift: uint(64 - bits.TrailingZeros(uint(slots)))}
}

// full says the table holds as many records as it should: a load of 3/4
// keeps the probe sequences short (about 2.5 slots for an absent hash).
func (m *memTable) full() bool { return m.n*4 >= len(m.slots)*3 }

// capacity is how many records the table takes when empty.
func (m *memTable) capacity() int { return (len(m.slots)*3 + 3) / 4 }

// room is how many more records the table takes before it is full.
func (m *memTable) room() int { return max(0, m.capacity()-m.n) }

func (m *memTable) home(h uint64) uint64 {
	if m.shift == 64 { // one slot
		return 0
	}
	return h >> m.shift
}

func (m *memTable) get(h uint64) (record, bool) {
	mask := uint64(len(m.slots) - 1)
	for i := m.home(h); ; i = (i + 1) & mask {
		switch m.slots[i].h {
		case 0:
			return record{}, false
		case h:
			return m.slots[i], true
		}
	}
}

// put adds r unless a record of its hash is there; the caller keeps the
// load under full.
func (m *memTable) put(r record) {
	mask := uint64(len(m.slots) - 1)
	i := m.home(r.h)
	for m.slots[i].h != 0 {
		if m.slots[i].h == r.h {
			return
		}
		i = (i + 1) & mask
	}
	m.slots[i] = r
	m.n++
}

// sorted returns an iterator over the records by hash, for writing a run;
// it only reads the table, so lookups may go on while it runs. In slot
// order the records are out of order only within a cluster (a run of
// occupied slots, which holds its records' home slots), and where a
// cluster wrapped around the end of the table: each cluster is sorted on
// its own in a small buffer, and the records that wrapped go last.
func (m *memTable) sorted() func() (record, bool) {
	var buf, wrapped []record
	i, at := 0, 0
	return func() (record, bool) {
		for at == len(buf) && i < len(m.slots) {
			buf, at = buf[:0], 0
			for ; i < len(m.slots) && m.slots[i].h == 0; i++ {
			}
			for ; i < len(m.slots) && m.slots[i].h != 0; i++ {
				if r := m.slots[i]; m.home(r.h) > uint64(i) { // wrapped around the end
					wrapped = append(wrapped, r)
				} else {
					buf = append(buf, r)
				}
			}
			if i == len(m.slots) { // the last cluster holds the wrapped records' homes
				buf = append(buf, wrapped...)
			}
			sortRecords(buf)
		}
		if at == len(buf) {
			return record{}, false
		}
		at++
		return buf[at-1], true
	}
}

// sortRecords sorts a cluster's few records by hash (insertion sort).
func sortRecords(rs []record) {
	for i := 1; i < len(rs); i++ {
		r, j := rs[i], i
		for ; j > 0 && rs[j-1].h > r.h; j-- {
			rs[j] = rs[j-1]
		}
		rs[j] = r
	}
}

// eachIn calls fn with every hash of the filter's segment s in the table.
// Their home slots are the s-th sixteenth of the table; they sit there or
// further on in the same cluster (wrapping around the end).
func (m *memTable) eachIn(s int, fn func(uint64)) {
	l := len(m.slots)
	start, width := s*l/filterSegs, max(1, l/filterSegs)
	for k := range l {
		h := m.slots[(start+k)%l].h
		if h == 0 && k >= width {
			return
		}
		if h != 0 && segment(h) == s {
			fn(h)
		}
	}
}

func (m *memTable) reset() {
	clear(m.slots)
	m.n = 0
}
