package source

import (
	"bytes"
	"fmt"
	"io"

	"github.com/cespare/xxhash/v2"
)

// verifySize is how much verify reads at a time.
const verifySize = 1 << 20

// verify reads the bytes of s before cursor c again and checks them
// against it: it fails with ErrChanged if the file is shorter or they hash
// differently, and with ErrCursor if they hold another number of lines.
// It returns the hash of those bytes, to go on with.
func (s *src) verify(c cursor) (*xxhash.Digest, error) {
	if c.off > s.size {
		return nil, fmt.Errorf("%w: the file is %d bytes, shorter than the %d bytes read before the cursor", ErrChanged, s.size, c.off)
	}
	h := xxhash.New()
	lines, err := s.hashPrefix(h, c.off)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.name, err)
	}
	if h.Sum64() != c.sum {
		return nil, fmt.Errorf("%w: the first %d bytes are not the ones read before the cursor (the export was regenerated or edited; start a new run)", ErrChanged, c.off)
	}
	if lines != c.line {
		return nil, fmt.Errorf("%w: the cursor says line %d, the file has line %d at offset %d", ErrCursor, c.line, lines, c.off)
	}
	return h, nil
}

// hashPrefix writes the first n bytes of s to h and returns the line number
// at n: 1 + the newlines before it.
func (s *src) hashPrefix(h *xxhash.Digest, n int64) (int64, error) {
	buf := make([]byte, verifySize)
	lines := int64(1)
	for off := int64(0); off < n; {
		k, err := s.ra.ReadAt(buf[:min(int64(len(buf)), n-off)], off)
		if k > 0 {
			h.Write(buf[:k])
			lines += s.newlines(buf[:k], off)
			off += int64(k)
		} else if err == nil {
			err = io.ErrNoProgress
		}
		if err != nil && off < n {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
	}
	return lines, nil
}

// newlines counts the newlines in b, which is at file offset off: bytes,
// or UTF-16 code units (at even offsets).
func (s *src) newlines(b []byte, off int64) int64 {
	if !s.codec.utf16 {
		return int64(bytes.Count(b, []byte{'\n'}))
	}
	nl := [2]byte{'\n', 0}
	if s.codec.bigEndian {
		nl = [2]byte{0, '\n'}
	}
	n, i := int64(0), int(off&1) // skip the second byte of a split unit
	for {
		j := bytes.Index(b[i:], nl[:])
		if j < 0 {
			return n
		}
		if (i+j)&1 == int(off&1) {
			n++
			i += j + 2
		} else {
			i += j + 1
		}
	}
}
