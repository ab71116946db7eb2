package source

import (
	"fmt"
	"io"
)

// frame is one record as cut from the input by a framer.
type frame struct {
	data    []byte // the record with its terminator; valid until the next frame
	line    int64  // line of the first byte
	off     int64  // offset of the first byte
	end     int64  // offset just past the record
	endLine int64  // line at end
	err     error  // why the record is malformed, or nil
	errLine int64  // line of err
	errCol  int    // column of err; 0 if unknown
	plain   bool   // CSV: one line with no quotes
}

// record returns the position of f as a Record with no fields.
func (f *frame) record() Record {
	return Record{Line: f.line, Offset: f.off, End: f.end, EndLine: f.endLine}
}

// recordErr returns f as a malformed Record from file name.
func (f *frame) recordErr(name string) Record {
	rec := f.record()
	rec.Err = &RecordError{File: name, Line: f.errLine, Column: f.errCol, Err: f.err}
	return rec
}

// skipBlank consumes empty lines ("\n", "\r\n", and a lone "\r" at the end of
// the input), as encoding/csv skips them. It returns io.EOF if nothing else
// is left, or the read error.
func skipBlank(w *window) error {
	for {
		if !w.need(1) {
			return eofOr(w)
		}
		switch d := w.data(); d[0] {
		case '\n':
			w.advance(1, 1)
		case '\r':
			if !w.need(2) {
				w.advance(1, 0)
				return eofOr(w)
			}
			if w.data()[1] != '\n' {
				return nil
			}
			w.advance(2, 1)
		default:
			return nil
		}
	}
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
