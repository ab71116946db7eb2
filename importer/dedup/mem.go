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

// full says the table holds as many records as it should (7/8 load).
func (m *memTable) full() bool { return m.n*8 >= len(m.slots)*7 }

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

// sorted returns the records by hash. In slot order they are out of order
// only within a probe sequence, and where one wrapped around the end of
// the table (those go last): an insertion sort finishes the job.
func (m *memTable) sorted() []record {
	out := make([]record, 0, m.n)
	var wrapped []record
	for i, r := range m.slots {
		switch {
		case r.h == 0:
		case m.home(r.h) > uint64(i):
			wrapped = append(wrapped, r)
		default:
			out = append(out, r)
		}
	}
	out = append(out, wrapped...)
	for i := 1; i < len(out); i++ {
		r, j := out[i], i
		for ; j > 0 && out[j-1].h > r.h; j-- {
			out[j] = out[j-1]
		}
		out[j] = r
	}
	return out
}

func (m *memTable) reset() {
	clear(m.slots)
	m.n = 0
}
