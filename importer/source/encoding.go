package source

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// Encodings understood by Options.Encoding (names are case-insensitive;
// "_" and "-" are the same).
//
// Framing. Records are cut out of the file's own bytes before they are
// decoded, so Record.Offset, End, ID and cursors are byte offsets of the
// file whatever the encoding. This is sound because, in every supported
// encoding but UTF-16, the bytes '\n', '\r', '"', ',', ';' and '\t' only
// ever stand for themselves: GBK and GB18030 trail bytes are 0x30-0x39,
// 0x40-0x7E and 0x80-0xFE; Big5 0x40-0x7E and 0xA1-0xFE; Shift_JIS
// 0x40-0x7E and 0x80-0xFC; EUC-KR 0xA1-0xFE; Latin-1 and Windows-1252
// are one byte a character. A delimiter in 0x40-0x7E (such as '|') can be
// a trail byte in GBK, GB18030, Big5 and Shift_JIS, so those encodings
// refuse it. UTF-16 is decoded before framing, one 16-bit code unit at a
// time, and every line start is mapped back to its file offset.
const (
	EncodingUTF8        = "utf-8"
	EncodingGBK         = "gbk"
	EncodingGB18030     = "gb18030"
	EncodingBig5        = "big5"
	EncodingShiftJIS    = "shift_jis"
	EncodingEUCKR       = "euc-kr"
	EncodingUTF16       = "utf-16" // byte order from the BOM, which must be there
	EncodingUTF16LE     = "utf-16le"
	EncodingUTF16BE     = "utf-16be"
	EncodingLatin1      = "latin1" // ISO-8859-1
	EncodingWindows1252 = "windows-1252"
)

// ErrInvalidEncoding means a record holds bytes that are not valid text in
// Options.Encoding.
var ErrInvalidEncoding = errors.New("invalid text in the input encoding")

// codec is a resolved Options.Encoding.
type codec struct {
	name       string            // canonical name
	enc        encoding.Encoding // decoder of an ASCII-compatible encoding; nil for UTF-8 and UTF-16
	utf16      bool
	bigEndian  bool // UTF-16 byte order
	trailASCII bool // trail bytes may be 0x40-0x7E
}

// codecs maps every accepted name, after normalizing, to its codec.
var codecs = map[string]codec{
	"utf-8": {name: EncodingUTF8}, "utf8": {name: EncodingUTF8},
	"gbk":          {name: EncodingGBK, enc: simplifiedchinese.GBK, trailASCII: true},
	"cp936":        {name: EncodingGBK, enc: simplifiedchinese.GBK, trailASCII: true},
	"gb18030":      {name: EncodingGB18030, enc: simplifiedchinese.GB18030, trailASCII: true},
	"big5":         {name: EncodingBig5, enc: traditionalchinese.Big5, trailASCII: true},
	"shift-jis":    {name: EncodingShiftJIS, enc: japanese.ShiftJIS, trailASCII: true},
	"sjis":         {name: EncodingShiftJIS, enc: japanese.ShiftJIS, trailASCII: true},
	"euc-kr":       {name: EncodingEUCKR, enc: korean.EUCKR},
	"utf-16":       {name: EncodingUTF16, utf16: true},
	"utf-16le":     {name: EncodingUTF16LE, utf16: true},
	"utf-16be":     {name: EncodingUTF16BE, utf16: true, bigEndian: true},
	"latin1":       {name: EncodingLatin1, enc: charmap.ISO8859_1},
	"iso-8859-1":   {name: EncodingLatin1, enc: charmap.ISO8859_1},
	"windows-1252": {name: EncodingWindows1252, enc: charmap.Windows1252},
	"cp1252":       {name: EncodingWindows1252, enc: charmap.Windows1252},
}

// lookupCodec returns the codec called name ("" is UTF-8).
func lookupCodec(name string) (codec, error) {
	if name == "" {
		return codecs["utf-8"], nil
	}
	c, ok := codecs[strings.ReplaceAll(strings.ToLower(name), "_", "-")]
	if !ok {
		return c, fmt.Errorf("unknown encoding %q (want utf-8, gbk, gb18030, big5, shift_jis, euc-kr, utf-16, utf-16le, utf-16be, latin1 or windows-1252)", name)
	}
	return c, nil
}

// checkDelim fails if the CSV delimiter of o can be part of a multi-byte
// character of c.
func (c codec) checkDelim(o Options) error {
	if delim := o.Delimiter; o.Format == FormatCSV && c.trailASCII && delim >= 0x40 && delim <= 0x7E {
		return fmt.Errorf("delimiter %q can be the second byte of a %s character: use ',', ';' or tab", delim, c.name)
	}
	return nil
}

// textDecoder decodes records of an ASCII-compatible encoding to UTF-8.
type textDecoder struct {
	t   transform.Transformer
	buf []byte
}

func newTextDecoder(c codec) *textDecoder {
	if c.enc == nil {
		return nil
	}
	return &textDecoder{t: c.enc.NewDecoder()}
}

// decode returns b as UTF-8, valid until the next call, and whether every
// byte of b was valid text (the decoders put U+FFFD for the others).
func (d *textDecoder) decode(b []byte) ([]byte, bool) {
	d.t.Reset()
	if cap(d.buf) < 2*len(b)+16 {
		d.buf = make([]byte, 2*len(b)+16)
	}
	dst := d.buf[:cap(d.buf)]
	for {
		n, _, err := d.t.Transform(dst, b, true)
		if err == nil {
			return dst[:n], bytes.IndexRune(dst[:n], '\uFFFD') < 0
		}
		d.t.Reset()
		d.buf = make([]byte, 2*len(dst))
		dst = d.buf
	}
}

// hintOrder is the order in which guessEncoding tries encodings: legacy
// Chinese exports first.
var hintOrder = []string{"gb18030", "big5", "shift-jis", "euc-kr"}

// guessEncoding returns a hint for bytes b that are not valid UTF-8: the
// encodings they decode in without error, most likely first, and what to
// pass; "" if there is nothing useful to say.
func guessEncoding(b []byte) string {
	if n := bytes.Count(b, []byte{0}); n > 0 && n >= len(b)/4 {
		return "looks like UTF-16 without a byte order mark; pass --encoding utf-16le (or utf-16be)"
	}
	var fits []string
	for _, name := range hintOrder {
		c := codecs[name]
		if _, ok := newTextDecoder(c).decode(b); ok {
			fits = append(fits, c.name)
		}
	}
	if len(fits) == 0 {
		return "looks like a single-byte encoding; pass --encoding windows-1252 (or latin1) if that is what the export used"
	}
	s := "looks like " + strings.ToUpper(fits[0])
	if len(fits) > 1 {
		s += " (also valid as " + strings.Join(fits[1:], ", ") + ")"
	}
	return s + "; pass --encoding " + fits[0]
}

// utf8Err returns the cause for bytes b that are not valid UTF-8, with a
// hint of the encoding they are in.
func utf8Err(b []byte) error {
	if h := guessEncoding(b); h != "" {
		return fmt.Errorf("%w (%s)", ErrInvalidUTF8, h)
	}
	return ErrInvalidUTF8
}
