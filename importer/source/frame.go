package source

import (
	"fmt"
	"io"
	"strconv"
)

// frame is one record as cut from the input by a framer.
type frame struct {
	data    []byte // the record with its terminator; valid until the next frame
	line    int64  // line of the first byte
	off     int64  // file offset of the first byte
	end     int64  // file offset just past the record
	endLine int64  // line at end
	sum     uint64 // hash of the file bytes before end, if hashed
	hashed  bool   // sum is known: the record gets a cursor
	err     error  // why the record is malformed, or nil
	errLine int64  // line of err
	errCol  int    // column of err; 0 if unknown
	plain   bool   // CSV: one line with no quotes
}

// begin starts f at the read position of w.
func (f *frame) begin(w *window) {
	f.line, f.off = w.line, w.fileOff()
}

// finish ends f at the read position of w.
func (f *frame) finish(w *window) {
	f.endLine = w.line
	f.end, f.sum, f.hashed = w.mark()
}

// record returns the position of f as a Record with no fields.
func (f *frame) record() Record {
	rec := Record{Pos: f.end, Line: f.line, Offset: f.off, End: f.end, EndLine: f.endLine}
	if !f.hashed {
		rec.ID = strconv.FormatInt(f.off, 10)
		return rec
	}
	// One string holds both the ID and the cursor: one allocation.
	var b [96]byte
	s := strconv.AppendInt(b[:0], f.off, 10)
	n := len(s)
	s = cursor{off: f.end, line: f.endLine, sum: f.sum}.append(s)
	both := string(s)
	rec.ID, rec.Next = both[:n], both[n:]
	return rec
}

// recordErr returns f as a malformed Record from file name.
func (f *frame) recordErr(name string) Record {
	rec := f.record()
	rec.Err = &RecordError{File: name, Line: f.errLine, Column: f.errCol, Err: f.err}
	return rec
}

// skipBlank consumes blank lines: lines of only spaces and tabs ending in
// "\n" or "\r\n", or the end of the input (where a lone "\r" ends one too,
// as encoding/csv drops it). A line of blanks longer than max is left for
// the framer to call too long. It returns io.EOF if nothing else is left,
// or the read error.
func skipBlank(w *window, max int) error {
	for {
		n, lines, ok := blankLine(w, max)
		if !ok {
			if w.end == w.pos {
				return eofOr(w)
			}
			return nil
		}
		w.advance(n, lines)
	}
}

// blankLine returns the length of the blank line at the read position of w,
// and the newlines in it (0 or 1); ok is false if it is not a blank line, or
// there is nothing left.
func blankLine(w *window, max int) (n int, lines int64, ok bool) {
	for i := 0; i <= max; i++ {
		if !w.need(i + 1) {
			return i, 0, i > 0 // blanks up to the end of the input
		}
		switch w.data()[i] {
		case ' ', '\t':
			continue
		case '\n':
			return i + 1, 1, true
		case '\r':
			if !w.need(i + 2) {
				return i + 1, 0, true
			}
			if w.data()[i+1] == '\n' {
				return i + 2, 1, true
			}
		}
		return 0, 0, false
	}
	return 0, 0, false
}

// eofOr returns w's read error, or io.EOF at the end of the input.
func eofOr(w *window) error {
	if err := w.ioErr(); err != nil {
		return err
	}
	return io.EOF
}

// tooLongErr returns the cause of ErrLineTooLong records under limit max.
func tooLongErr(max int) error {
	return fmt.Errorf("%w: over %d bytes", ErrLineTooLong, max)
}
