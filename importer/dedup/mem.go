package dedup

import "slices"

// memTable is an open-addressing hash table of records, the newest durable
// ones; it is written out as a sorted run when full.
type memTable struct {
	slots []record // h == 0: empty
	n     int
}

func newMemTable(slots int) *memTable { return &memTable{slots: make([]record, slots)} }

// full says the table holds as many records as it should (7/8 load).
func (m *memTable) full() bool { return m.n*8 >= len(m.slots)*7 }

func (m *memTable) get(h uint64) (record, bool) {
	mask := uint64(len(m.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
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
	i := r.h & mask
	for m.slots[i].h != 0 {
		if m.slots[i].h == r.h {
			return
		}
		i = (i + 1) & mask
	}
	m.slots[i] = r
	m.n++
}

// sorted returns the records by hash.
func (m *memTable) sorted() []record {
	out := make([]record, 0, m.n)
	for _, r := range m.slots {
		if r.h != 0 {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b record) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return 0
	})
	return out
}

func (m *memTable) reset() {
	clear(m.slots)
	m.n = 0
}
