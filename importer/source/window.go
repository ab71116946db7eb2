package source

import (
	"bytes"
	"io"

	"github.com/cespare/xxhash/v2"
)

// readSize is how much a window asks of the input at a time, unless
// Options.readSize says otherwise.
const readSize = 64 << 10

// window is a sliding buffer over the input that knows the file offset and
// line number of its read position. It only grows to hold the record being
// framed, which the framers keep under MaxRecordBytes.
type window struct {
	r    io.Reader
	buf  []byte
	pos  int   // start of the unread bytes
	end  int   // end of the unread bytes
	off  int64 // file offset of buf[pos]
	line int64 // line number at buf[pos]
	err  error // first error from r; io.EOF at the end of the input
	size int   // bytes asked of r at a time
	// h, when not nil, is the running hash of the input bytes before
	// buf[hpos]: mark hashes the rest up to the read position. It is nil
	// when the bytes before the start are unknown (a legacy Options.Offset)
	// or are hashed by pm.
	h    *xxhash.Digest
	hpos int
	// pm, when not nil, maps offsets of the decoded stream r to file
	// offsets and hashes (UTF-16 input).
	pm *posMap
}

// newWindow returns a window on r, which starts at offset off and line line,
// that reads size bytes at a time.
func newWindow(r io.Reader, off, line int64, size int) *window {
	return &window{r: r, buf: make([]byte, size), off: off, line: line, size: size}
}

// data returns the unread bytes. The slice is valid until the next call to
// more, advance or skipLine.
func (w *window) data() []byte { return w.buf[w.pos:w.end] }

// advance consumes n unread bytes holding lines newlines.
func (w *window) advance(n int, lines int64) {
	w.pos += n
	w.off += int64(n)
	w.line += lines
	if w.pm != nil {
		w.pm.drop(w.off)
	}
}

// more reads more input after the unread bytes, which it keeps (moving them
// to the front of the buffer, or into a larger one). It returns false, with
// w.err set, when nothing more can be read.
func (w *window) more() bool {
	if w.err != nil {
		return false
	}
	if w.h != nil {
		w.h.Write(w.buf[w.hpos:w.pos])
		w.hpos = 0
	}
	if w.pos > 0 {
		w.end = copy(w.buf, w.buf[w.pos:w.end])
		w.pos = 0
	}
	if len(w.buf)-w.end < w.size {
		grown := make([]byte, max(2*len(w.buf), w.end+w.size))
		copy(grown, w.buf[:w.end])
		w.buf = grown
	}
	for range 100 {
		n, err := w.r.Read(w.buf[w.end : w.end+w.size])
		w.end += n
		if err != nil {
			w.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	w.err = io.ErrNoProgress
	return false
}

// need makes at least n bytes unread if the input has them, and reports
// whether it does.
func (w *window) need(n int) bool {
	for w.end-w.pos < n {
		if !w.more() {
			return false
		}
	}
	return true
}

// skipLine consumes the input up to and including the next newline, or up
// to the end of the input, without holding more than one buffer of it.
func (w *window) skipLine() {
	for {
		d := w.data()
		if i := bytes.IndexByte(d, '\n'); i >= 0 {
			w.advance(i+1, 1)
			return
		}
		w.advance(len(d), 0)
		if !w.more() {
			return
		}
	}
}

// ioErr returns the read error that stopped the window, or nil at the end of
// the input.
func (w *window) ioErr() error {
	if w.err == io.EOF {
		return nil
	}
	return w.err
}

// fileOff returns the file offset of the read position.
func (w *window) fileOff() int64 {
	if w.pm != nil {
		off, _, _ := w.pm.at(w.off)
		return off
	}
	return w.off
}

// mark returns the file offset of the read position and the hash of every
// file byte before it; ok is false when that hash is not known.
func (w *window) mark() (off int64, sum uint64, ok bool) {
	switch {
	case w.pm != nil:
		return w.pm.at(w.off)
	case w.h == nil:
		return w.off, 0, false
	}
	w.h.Write(w.buf[w.hpos:w.pos])
	w.hpos = w.pos
	return w.off, w.h.Sum64(), true
}
