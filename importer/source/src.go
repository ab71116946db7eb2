package source

import (
	"bytes"
	"fmt"
	"io"

	"github.com/cespare/xxhash/v2"
)

// src is a file's bytes and how to read them: what every reader of one
// Open, OpenReader, File.Open or File.Reread shares.
type src struct {
	name  string
	ra    io.ReaderAt
	size  int64
	opt   Options // resolved
	codec codec
	bom   int64  // length of the byte order mark at offset 0
	watch *watch // the file being read, or nil for OpenReader
}

// Byte order marks.
const (
	bomUTF8    = "\xEF\xBB\xBF"
	bomUTF16LE = "\xFF\xFE"
	bomUTF16BE = "\xFE\xFF"
)

// newSrc resolves opt for the file called name and finds its byte order
// mark, which may set the encoding to UTF-16.
func newSrc(name string, ra io.ReaderAt, size int64, opt Options, w *watch) (*src, error) {
	opt, err := opt.resolve(name)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	s := &src{name: name, ra: ra, size: size, opt: opt, watch: w}
	s.codec, _ = lookupCodec(opt.Encoding) // checked by resolve
	var head [3]byte
	n, err := ra.ReadAt(head[:min(size, 3)], 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if err := s.byteOrder(head[:n]); err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return s, nil
}

// byteOrder sets s.bom, and the UTF-16 byte order, from head, the first
// bytes of the file.
func (s *src) byteOrder(head []byte) error {
	bom, order := "", ""
	switch {
	case bytes.HasPrefix(head, []byte(bomUTF8)):
		bom, order = bomUTF8, EncodingUTF8
	case bytes.HasPrefix(head, []byte(bomUTF16LE)):
		bom, order = bomUTF16LE, EncodingUTF16LE
	case bytes.HasPrefix(head, []byte(bomUTF16BE)):
		bom, order = bomUTF16BE, EncodingUTF16BE
	}
	c := s.codec
	switch {
	case order == "" && c.name == EncodingUTF16:
		return fmt.Errorf("encoding utf-16 needs a byte order mark, and the file has none: pass --encoding utf-16le or utf-16be")
	case order == "":
		return nil
	case order == c.name || order != EncodingUTF8 && (c.name == EncodingUTF8 || c.name == EncodingUTF16):
		s.codec = codecs[order]
		s.bom = int64(len(bom))
		return s.codec.checkDelim(s.opt)
	}
	return fmt.Errorf("the file starts with a %s byte order mark, but the encoding is %s: pass --encoding %s", order, c.name, order)
}

// window returns a window at file offset off, a line start, on line line;
// h is the hash of the bytes before off, or nil. It reuses buf if not nil.
func (s *src) window(off, line int64, h *xxhash.Digest, buf []byte) *window {
	var r io.Reader = io.NewSectionReader(s.ra, off, s.size-off)
	if s.watch != nil {
		r = s.watch.reader(r, off)
	}
	var pm *posMap
	if s.codec.utf16 {
		r, pm = newUTF16Reader(r, s.codec.bigEndian, off, h)
		h = nil
	}
	w := &window{r: r, buf: buf, off: off, line: line, size: s.opt.readSize, h: h, pm: pm}
	if len(w.buf) < w.size {
		w.buf = make([]byte, w.size)
	}
	return w
}

// top returns a window at the start of the file, past the byte order mark.
func (s *src) top() (*window, error) {
	h := xxhash.New()
	if s.bom > 0 {
		b := make([]byte, s.bom)
		if _, err := s.ra.ReadAt(b, 0); err != nil {
			return nil, fmt.Errorf("read %s: %w", s.name, err)
		}
		h.Write(b)
	}
	return s.window(s.bom, 1, h, nil), nil
}

// reader returns a reader of s at its first record.
func (s *src) reader() (recReader, error) {
	w, err := s.top()
	if err != nil {
		return nil, err
	}
	if err := s.sniff(w); err != nil {
		return nil, err
	}
	var r recReader
	if s.opt.Format == FormatJSONL {
		r = newJSONL(s, w)
	} else if r, err = newCSV(s, w); err != nil {
		return nil, err
	}
	if s.watch != nil {
		r.closer(s.watch.f)
	}
	return r, nil
}
