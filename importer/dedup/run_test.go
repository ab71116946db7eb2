package dedup

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// blockOf must answer what a binary search over the whole index answers:
// the last block whose first hash is at most h, or -1. Indexes of uniform
// hashes (the search starts at h's fraction of the index) and skewed ones
// (it must widen its steps far from there), hashes on, between, below and
// above the index's entries.
func TestBlockOfMatchesBinarySearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	indexes := map[string][]uint64{"empty": nil, "one": {1 << 63}}
	for _, n := range []int{2, 3, 17, 1000} {
		uniform := make([]uint64, n)
		skewed := make([]uint64, n)
		for i := range n {
			uniform[i] = rng.Uint64()
			skewed[i] = rng.Uint64N(1 << 20) // all at the very start of the hash space
		}
		slices.Sort(uniform)
		slices.Sort(skewed)
		indexes[fmt.Sprint("uniform", n)] = slices.Compact(uniform)
		indexes[fmt.Sprint("skewed", n)] = slices.Compact(skewed)
	}
	for name, index := range indexes {
		r := &run{index: index}
		probes := []uint64{0, 1, math.MaxUint64, math.MaxUint64 - 1}
		for _, x := range index {
			probes = append(probes, x, x-1, x+1)
		}
		for range 2000 {
			probes = append(probes, rng.Uint64(), rng.Uint64N(1<<21))
		}
		for _, h := range probes {
			want := sort.Search(len(index), func(i int) bool { return index[i] > h }) - 1
			if got := r.blockOf(h); got != want {
				t.Fatalf("%s (%d entries): blockOf(%#x) = %d, want %d", name, len(index), h, got, want)
			}
		}
	}
}
