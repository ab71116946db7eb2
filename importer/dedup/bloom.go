package dedup

import "math/bits"

// bloomBitsPerKey sizes the filter at its capacity; it is rebuilt 1.5
// times as large when full, so it holds 8 to 12 bits per record.
const bloomBitsPerKey = 8

// filterSegs is how many segments the filter has, by the top 4 bits of a
// hash: it grows a segment at a time, so growing it costs one segment of
// memory beside the old filter, not a second filter.
const filterSegs = 16

// bloom is a blocked Bloom filter: each hash sets bloomK bits in one
// 512-bit block (one cache line), so a lookup costs one cache miss. With
// 8-12 bits per key it answers "maybe" for about 2 % to 0.5 % of absent
// hashes; those cost a lookup in the in-memory tables and the runs.
type bloom struct {
	segs [filterSegs][][8]uint64
	cap  int // records it was sized for
}

const bloomK = 7

func newBloom(capacity int) *bloom {
	b := &bloom{cap: capacity}
	for s := range b.segs {
		b.segs[s] = newSegment(capacity)
	}
	return b
}

// newSegment is one segment of a filter of capacity records.
func newSegment(capacity int) [][8]uint64 {
	return make([][8]uint64, max(1, capacity/filterSegs*bloomBitsPerKey/512))
}

// segment is the segment of h: its top bits.
func segment(h uint64) int { return int(h >> 60) }

func (b *bloom) block(h uint64) *[8]uint64 {
	seg := b.segs[segment(h)]
	hi, _ := bits.Mul64(h<<4, uint64(len(seg)))
	return &seg[hi]
}

func (b *bloom) add(h uint64) {
	blk := b.block(h)
	x := h*0x9E3779B97F4A7C15 | 1
	for range bloomK {
		bit := x >> 55 // 9 bits: 0..511
		blk[bit>>6] |= 1 << (bit & 63)
		x *= 0xBF58476D1CE4E5B9
	}
}

func (b *bloom) has(h uint64) bool {
	blk := b.block(h)
	x := h*0x9E3779B97F4A7C15 | 1
	for range bloomK {
		bit := x >> 55
		if blk[bit>>6]&(1<<(bit&63)) == 0 {
			return false
		}
		x *= 0xBF58476D1CE4E5B9
	}
	return true
}
