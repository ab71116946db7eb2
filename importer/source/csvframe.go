package source

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
)

// csvFramer cuts CSV records out of a window. It follows encoding/csv with
// LazyQuotes off: a field that starts with '"' is quoted and may hold
// delimiters, `""` and newlines; a '"' anywhere else is an error. A record
// ends at the first newline outside quotes, or at the end of the input.
type csvFramer struct {
	w       *window
	delim   byte
	max     int
	tooLong error
}

// States of csvScan.
const (
	stField  = iota // at the start of a field
	stBare          // in a non-quoted field
	stQuoted        // in a quoted field
	stQuote         // just after a '"' in a quoted field
)

// csvScan is the state of framing one record. Indexes are relative to the
// record's first byte.
type csvScan struct {
	st      int
	i       int   // bytes scanned
	lines   int64 // newlines scanned
	lineAt  int   // index of the first byte of the current line
	firstNL int   // index of the record's first newline, -1 if none yet
	openCol int   // column of the opening quote of the current quoted field
	spanCol int   // column of the quote of the field that crossed firstNL
	done    bool  // the record is complete after i bytes
	failed  bool  // the input failed before the record was complete
	err     error // why the record is malformed
	errAt   int   // index at which err was found
	errCol  int   // column of err on line `lines` of the record
}

// next returns the next record, skipping blank lines. It returns io.EOF at
// the end of the input, or the read error.
func (f *csvFramer) next() (frame, error) {
	if err := skipBlank(f.w, f.max); err != nil {
		return frame{}, err
	}
	var fr frame
	fr.begin(f.w)
	s := f.fastScan()
	if fr.plain = s.done; !s.done {
		s = f.scan()
	}
	if !s.done && s.err == nil {
		return frame{}, cmp.Or(f.w.ioErr(), io.ErrUnexpectedEOF)
	}
	// Whether an error past f.max is found first depends on how the input
	// was read; call it too long, as a record that does not end by then is.
	if s.done && s.i > f.max || s.err != nil && s.errAt >= f.max {
		s.err = f.tooLong
	}
	if s.err != nil {
		f.fail(&fr, &s)
	} else {
		fr.data = f.w.data()[:s.i]
		f.w.advance(s.i, s.lines)
	}
	fr.finish(f.w)
	return fr, nil
}

// fastScan frames a record that is one line with no quotes in it without
// looking at every byte; otherwise it returns a scan that is not done.
func (f *csvFramer) fastScan() csvScan {
	d := f.w.data()
	k := bytes.IndexByte(d, '\n')
	if k < 0 || bytes.IndexByte(d[:k], '"') >= 0 {
		return csvScan{}
	}
	return csvScan{i: k + 1, lines: 1, firstNL: k, done: true}
}

// fail consumes the first line of a malformed record, so that reading goes
// on at the next line, and sets fr's error from s.
func (f *csvFramer) fail(fr *frame, s *csvScan) {
	fr.errLine, fr.err, fr.errCol = fr.line, s.err, s.errCol
	// A record spans lines only through a quoted field. A newline past f.max
	// may or may not have been seen, depending on how the input was read.
	spans := s.firstNL >= 0 && s.firstNL < f.max
	switch {
	case spans && (s.err == f.tooLong || s.err == errUnclosed):
		// Most likely a quote that is never closed: point at it.
		fr.errCol = s.spanCol
		fr.err = fmt.Errorf("%w (%w)", s.err, errSpans)
	case spans:
		// Found past the first line: point at the quote of the field that
		// spans lines and say where the trouble showed.
		fr.errCol = s.spanCol
		fr.err = fmt.Errorf("%w at line %d, column %d (%w)", s.err, fr.line+s.lines, s.errCol, errSpans)
	case s.err == f.tooLong:
		fr.errCol = 0
	}
	if s.firstNL >= 0 {
		f.w.advance(s.firstNL+1, 1)
	} else {
		f.w.skipLine()
	}
}

// scan frames one record byte by byte. It stops when the record is done, is
// malformed, grows over f.max, or the input fails.
func (f *csvFramer) scan() csvScan {
	s := csvScan{firstNL: -1}
	d := f.w.data()
	for !s.done && s.err == nil && !s.failed {
		if s.i == len(d) {
			if s.i > f.max {
				s.err, s.errAt = f.tooLong, s.i
				break
			}
			if !f.w.more() {
				f.atEOF(&s)
				break
			}
			d = f.w.data()
		}
		switch s.st {
		case stField:
			f.field(&s, d)
		case stBare:
			f.bare(&s, d)
		case stQuoted:
			s.quoted(d)
		case stQuote:
			if !f.quote(&s, d) {
				d = f.w.data()
			}
		}
	}
	return s
}

// field starts a field at d[s.i].
func (f *csvFramer) field(s *csvScan, d []byte) {
	if d[s.i] != '"' {
		s.st = stBare
		return
	}
	s.openCol = s.i - s.lineAt + 1
	s.st = stQuoted
	s.i++
}

// bare scans a non-quoted field up to the end of d or of the field.
func (f *csvFramer) bare(s *csvScan, d []byte) {
	j := s.i
	for j < len(d) && d[j] != f.delim && d[j] != '\n' && d[j] != '"' {
		j++
	}
	s.i = j
	if j == len(d) {
		return
	}
	switch d[j] {
	case '\n':
		s.end(1)
	case '"':
		s.err, s.errAt, s.errCol = errBareQuote, j, j-s.lineAt+1
	default:
		s.st = stField
		s.i++
	}
}

// quoted scans a quoted field up to the end of d or the next quote.
func (s *csvScan) quoted(d []byte) {
	j := bytes.IndexByte(d[s.i:], '"')
	seg := d[s.i:]
	if j >= 0 {
		seg = seg[:j]
	}
	for base := s.i; ; {
		k := bytes.IndexByte(seg, '\n')
		if k < 0 {
			break
		}
		if s.firstNL < 0 {
			s.firstNL, s.spanCol = base+k, s.openCol
		}
		s.lines++
		s.lineAt = base + k + 1
		seg, base = seg[k+1:], base+k+1
	}
	if j < 0 {
		s.i = len(d)
		return
	}
	s.i += j + 1
	s.st = stQuote
}

// quote handles the byte after a quote in a quoted field. It returns false
// if it needed more input (read into the window) to decide.
func (f *csvFramer) quote(s *csvScan, d []byte) bool {
	switch c := d[s.i]; {
	case c == '"':
		s.st = stQuoted
		s.i++
	case c == f.delim:
		s.st = stField
		s.i++
	case c == '\n':
		s.end(1)
	case c == '\r' && s.i+1 == len(d):
		if f.w.more() {
			return false
		}
		if s.failed = f.w.ioErr() != nil; !s.failed {
			s.i++ // encoding/csv drops a '\r' at the end of the input
			s.done = true
		}
	case c == '\r' && d[s.i+1] == '\n':
		s.end(2)
	default:
		s.err, s.errAt, s.errCol = errQuote, s.i, s.i-s.lineAt
	}
	return true
}

// end completes the record with a newline sequence of n bytes at s.i.
func (s *csvScan) end(n int) {
	s.i += n
	s.lines++
	s.done = true
}

// atEOF ends the record at the end of the input, unless a quote is open, or
// marks s failed if the input failed.
func (f *csvFramer) atEOF(s *csvScan) {
	if s.failed = f.w.ioErr() != nil; s.failed {
		return
	}
	if s.st == stQuoted {
		s.err, s.errAt, s.errCol = errUnclosed, s.i, s.openCol
		return
	}
	s.done = true
}
