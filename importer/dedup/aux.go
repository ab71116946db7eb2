package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cespare/xxhash/v2"

	"github.com/ciam-import/ciam-import/importer/state"
)

// A run's index (run-N.idx) and the filter over the runs (filter-N, named
// by the manifest) are kept beside the runs so that opening a table reads
// neither the runs nor their records: each file is its words (uint64,
// little-endian) and their xxhash. Both can be rebuilt from the runs; a
// missing or damaged one is rebuilt, never trusted.

const indexSuffix = ".idx"

// errDamagedAux is a missing, short or corrupt index or filter file.
var errDamagedAux = errors.New("damaged")

// writeWords writes words and their checksum to dir/name, durably when
// sync is set (atomically: a crash leaves the old file or none).
func writeWords(dir, name string, sync bool, words []uint64) error {
	b := make([]byte, 0, 8*len(words)+8)
	for _, w := range words {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	b = binary.LittleEndian.AppendUint64(b, xxhash.Sum64(b))
	path := filepath.Join(dir, name)
	var err error
	if sync {
		err = state.WriteFileAtomic(path, b, 0o600)
	} else {
		err = os.WriteFile(path, b, 0o600)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// readWords reads what writeWords wrote to dir/name; errDamagedAux if the
// file is missing or its checksum does not match.
func readWords(dir, name string) ([]uint64, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil || len(b) < 8 || len(b)%8 != 0 {
		return nil, errDamagedAux
	}
	body := b[:len(b)-8]
	if xxhash.Sum64(body) != binary.LittleEndian.Uint64(b[len(body):]) {
		return nil, errDamagedAux
	}
	words := make([]uint64, len(body)/8)
	for i := range words {
		words[i] = binary.LittleEndian.Uint64(body[8*i:])
	}
	return words, nil
}

// words is the filter as words: its capacity, the number of segments,
// then each segment's length in blocks and its blocks.
func (b *bloom) words() []uint64 {
	w := []uint64{uint64(b.cap), filterSegs}
	for _, seg := range b.segs {
		w = append(w, uint64(len(seg)))
		for _, blk := range seg {
			w = append(w, blk[:]...)
		}
	}
	return w
}

// bloomFromWords is the filter words describe; errDamagedAux if they do not.
func bloomFromWords(w []uint64) (*bloom, error) {
	if len(w) < 2 || w[1] != filterSegs {
		return nil, errDamagedAux
	}
	b, w := &bloom{cap: int(w[0])}, w[2:]
	for s := range b.segs {
		if len(w) < 1 || w[0] == 0 || uint64(len(w)-1) < 8*w[0] {
			return nil, errDamagedAux
		}
		n := int(w[0])
		b.segs[s] = make([][8]uint64, n)
		for i := range n {
			copy(b.segs[s][i][:], w[1+8*i:])
		}
		w = w[1+8*n:]
	}
	if len(w) != 0 {
		return nil, errDamagedAux
	}
	return b, nil
}
