package dedup

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// The in-memory table gives every record back in hash order, whether its
// probe sequences wrapped around the end of the table or not.
func TestMemTableSorted(t *testing.T) {
	for _, size := range []int{1, 2, 8, 1 << 12} {
		r := rand.New(rand.NewPCG(uint64(size), 1))
		m := newMemTable(size)
		var want []uint64
		for !m.full() && m.n < size {
			h := r.Uint64() | 1
			switch {
			case len(want) == 0:
				h &^= 0xFFFF << 48 // home at the start: a wrapped record lands after it
			case len(want) < 4:
				h |= 0xFFFF << 48 // homes at the end: these wrap around
			}
			m.put(record{h: h})
			want = append(want, h)
		}
		slices.Sort(want)
		var got []uint64
		next := m.sorted()
		for rec, ok := next(); ok; rec, ok = next() {
			got = append(got, rec.h)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d slots: sorted gave %x, want %x", size, got, want)
		}
		for _, h := range want {
			if _, ok := m.get(h); !ok {
				t.Errorf("%d slots: %x not found", size, h)
			}
		}
	}
}

// A record whose bucket is full (a log of an older version, longer than a
// bucket, replayed) goes to overflow: still found, still written out in
// order, and the table says it is full.
func TestMemTableOverflow(t *testing.T) {
	m := newMemTable(256) // two buckets of 128
	var want []uint64
	for i := range 200 {
		h := uint64(i)<<8 | 1 // all in the first bucket
		m.put(record{h: h})
		want = append(want, h)
	}
	m.put(record{h: 1 << 63})
	want = append(want, 1<<63)
	if !m.full() || len(m.overflow) != 72 {
		t.Fatalf("full %v, overflow %d: want full with 72", m.full(), len(m.overflow))
	}
	var got []uint64
	next := m.sorted()
	for rec, ok := next(); ok; rec, ok = next() {
		got = append(got, rec.h)
	}
	if !slices.Equal(got, want) {
		t.Errorf("sorted gave %d records, want %d in order", len(got), len(want))
	}
	for _, h := range want {
		if _, ok := m.get(h); !ok {
			t.Errorf("%x not found", h)
		}
	}
}

// The hashes are those written to state directories and journals before:
// the parts joined by NUL, hashed with the seed, as one Digest fed part by
// part gives them.
func TestHashUnchanged(t *testing.T) {
	x := newHasher(42)
	for _, parts := range [][]string{{"email", "a@b"}, {"x"}, {"", ""}, {"id", "key", strings.Repeat("long", 30)}} {
		d := xxhash.NewWithSeed(7)
		for i, p := range parts {
			if i > 0 {
				_, _ = d.WriteString("\x00")
			}
			_, _ = d.WriteString(p)
		}
		if got, want := x.sum(7, parts...), d.Sum64(); got != want {
			t.Errorf("%q: %x, want %x", parts, got, want)
		}
	}
}
