package source

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// posMap maps the decoded offsets of line starts to file offsets and to the
// hash of the file bytes before them, for UTF-16 input, where a record's
// bytes in the window are not the file's. Records start and end only at
// line starts or at the end of the input, which is all it maps.
type posMap struct {
	ents   []posEnt
	head   int  // ents[:head] are dropped
	hashed bool // sums are known
}

type posEnt struct {
	out, off int64 // decoded offset, file offset
	sum      uint64
}

// add maps decoded offset out to file offset off, with sum the hash before it.
func (m *posMap) add(out, off int64, sum uint64) {
	if m.head > 1024 && m.head > len(m.ents)/2 {
		m.ents = append(m.ents[:0], m.ents[m.head:]...)
		m.head = 0
	}
	m.ents = append(m.ents, posEnt{out, off, sum})
}

// drop forgets the line starts before decoded offset out.
func (m *posMap) drop(out int64) {
	for m.head < len(m.ents)-1 && m.ents[m.head].out < out {
		m.head++
	}
}

// at returns the file offset and hash at decoded offset out, which must be
// a line start at or after the last one asked for.
func (m *posMap) at(out int64) (int64, uint64, bool) {
	m.drop(out)
	if m.head < len(m.ents) {
		if e := m.ents[m.head]; e.out == out {
			return e.off, e.sum, m.hashed
		}
	}
	return -1, 0, false // not a line start: a bug; no cursor for it
}

// utf16Reader decodes UTF-16 from r, which starts at file offset off (an
// even one), into UTF-8 whose offsets start at off too. It maps every line
// start, and the end, in pm. A lone surrogate, or an odd byte at the end,
// becomes the byte 0xFF, which is not UTF-8, so that the record holding it
// is rejected rather than changed.
type utf16Reader struct {
	r    io.Reader
	be   bool
	h    *xxhash.Digest // hash of the file bytes before off; nil: not hashed
	pm   *posMap
	in   []byte // undecoded input: at most one odd byte between reads
	dec  []byte // decoded, not yet returned: dec[dpos:]
	dpos int
	off  int64  // file offset of in[0]
	out  int64  // decoded offset just past dec
	hi   uint16 // a high surrogate waiting for its pair, or 0
	err  error
}

// utf16Chunk is how much a utf16Reader reads at a time.
const utf16Chunk = 32 << 10

func newUTF16Reader(r io.Reader, be bool, off int64, h *xxhash.Digest) (*utf16Reader, *posMap) {
	pm := &posMap{hashed: h != nil}
	pm.add(off, off, sumOf(h))
	return &utf16Reader{r: r, be: be, h: h, pm: pm, off: off, out: off,
		in: make([]byte, 0, utf16Chunk), dec: make([]byte, 0, 3*utf16Chunk/2+8)}, pm
}

// sumOf returns the hash in h, or 0 if h is nil.
func sumOf(h *xxhash.Digest) uint64 {
	if h == nil {
		return 0
	}
	return h.Sum64()
}

// Read returns decoded bytes; see io.Reader.
func (u *utf16Reader) Read(p []byte) (int, error) {
	for range 100 {
		if u.dpos < len(u.dec) {
			n := copy(p, u.dec[u.dpos:])
			u.dpos += n
			return n, nil
		}
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	return 0, io.ErrNoProgress
}

// fill reads and decodes the next chunk of input into u.dec.
func (u *utf16Reader) fill() {
	carry := len(u.in)
	n, err := u.r.Read(u.in[carry:cap(u.in)])
	u.in = u.in[:carry+n]
	u.dec, u.dpos = u.dec[:0], 0
	u.decode(err != nil)
	if err != nil {
		u.err = err
		if err == io.EOF {
			u.pm.add(u.out, u.off, sumOf(u.h))
		}
	}
}

// decode turns the whole code units of u.in into u.dec; when the input
// ended (last), an odd byte and an unpaired high surrogate too.
func (u *utf16Reader) decode(last bool) {
	i, hashed := 0, 0
	for ; i+1 < len(u.in); i += 2 {
		c := uint16(u.in[i])<<8 | uint16(u.in[i+1])
		if !u.be {
			c = c>>8 | c<<8
		}
		u.put(c)
		if c == '\n' {
			u.hash(u.in[hashed : i+2])
			hashed = i + 2
			u.pm.add(u.out+int64(len(u.dec)), u.off+int64(i)+2, sumOf(u.h))
		}
	}
	if last {
		u.flushHi()
		if i < len(u.in) { // an odd byte at the end
			u.dec = append(u.dec, 0xFF)
			i++
		}
	}
	u.hash(u.in[hashed:i])
	u.off += int64(i)
	u.out += int64(len(u.dec))
	u.in = append(u.in[:0], u.in[i:]...)
}

// put appends code unit c, decoded, to u.dec.
func (u *utf16Reader) put(c uint16) {
	switch {
	case c >= 0xD800 && c < 0xDC00: // high surrogate
		u.flushHi()
		u.hi = c
	case c >= 0xDC00 && c < 0xE000: // low surrogate
		if u.hi == 0 {
			u.dec = append(u.dec, 0xFF)
			return
		}
		u.dec = utf8.AppendRune(u.dec, utf16.DecodeRune(rune(u.hi), rune(c)))
		u.hi = 0
	default:
		u.flushHi()
		u.dec = utf8.AppendRune(u.dec, rune(c))
	}
}

// flushHi writes a high surrogate that was not paired as 0xFF.
func (u *utf16Reader) flushHi() {
	if u.hi != 0 {
		u.hi = 0
		u.dec = append(u.dec, 0xFF)
	}
}

func (u *utf16Reader) hash(b []byte) {
	if u.h != nil {
		u.h.Write(b)
	}
}
