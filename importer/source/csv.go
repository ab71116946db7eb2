package source

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// csvReader reads CSV records: a csvFramer cuts them out of the input and an
// encoding/csv Reader decodes them one at a time.
type csvReader struct {
	state
	opt    Options
	s      *src
	dec    *textDecoder // nil if the framed bytes are UTF-8
	header []string
	fr     *csvFramer
	src    frameSource
	cr     *csv.Reader
	plain  []string // fields of a plain record, reused
}

// frameSource feeds encoding/csv one framed record, then io.EOF.
type frameSource struct{ b []byte }

func (s *frameSource) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

// newCSV reads the header through w, the top of s, and stays after it.
func newCSV(s *src, w *window) (*csvReader, error) {
	r := &csvReader{state: state{name: s.name}, opt: s.opt, s: s, dec: newTextDecoder(s.codec)}
	r.resetCSV()
	r.fr = r.framer(w)
	if err := r.readHeader(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *csvReader) framer(w *window) *csvFramer {
	return &csvFramer{w: w, delim: byte(r.opt.Delimiter),
		max: r.opt.MaxRecordBytes, tooLong: tooLongErr(r.opt.MaxRecordBytes)}
}

// at returns the position of the reader; see recReader.
func (r *csvReader) at() (int64, int64) { return r.fr.w.fileOff(), r.fr.w.line }

// seek moves the reader; see recReader.
func (r *csvReader) seek(off, line int64, h *xxhash.Digest) {
	r.fr = r.framer(r.s.window(off, line, h, r.fr.w.buf))
	r.resetCSV()
	r.err = nil
}

// resetCSV starts a fresh encoding/csv Reader, dropping anything it holds.
func (r *csvReader) resetCSV() {
	r.src.b = nil
	r.cr = csv.NewReader(&r.src)
	r.cr.Comma = r.opt.Delimiter
	r.cr.FieldsPerRecord = -1
	r.cr.ReuseRecord = true
}

// Header returns a copy of the column names.
func (r *csvReader) Header() []string { return append([]string(nil), r.header...) }

// Next returns the next record; see Reader.
func (r *csvReader) Next() (Record, error) {
	if err := r.check(); err != nil {
		return Record{}, err
	}
	f, err := r.fr.next()
	if err != nil {
		return Record{}, r.fail(err)
	}
	if f.err != nil {
		return f.recordErr(r.name), nil
	}
	if !r.text(&f) {
		return r.encodingErr(&f), nil
	}
	return r.decode(&f), nil
}

// text decodes f.data to UTF-8 in place, and reports whether it was valid
// in the input encoding.
func (r *csvReader) text(f *frame) bool {
	if r.dec == nil {
		return true
	}
	var ok bool
	f.data, ok = r.dec.decode(f.data)
	return ok
}

// encodingErr returns f, which is not valid in the input encoding, as a
// malformed record, naming the field that is not.
func (r *csvReader) encodingErr(f *frame) Record {
	rec := f.record()
	cause := fmt.Errorf("%w: not valid %s", ErrInvalidEncoding, r.s.codec.name)
	rec.Err = &RecordError{File: r.name, Line: f.line, Err: cause}
	if fields, err := r.split(f); err == nil {
		if i := slices.IndexFunc(fields, func(v string) bool { return strings.ContainsRune(v, '\uFFFD') }); i >= 0 && i < len(r.header) {
			line, col := r.fieldPos(f, fields, i)
			rec.Err = &RecordError{File: r.name, Line: line, Column: col, Field: r.header[i], Err: cause}
		}
	}
	return rec
}

// decode turns a well-framed record into a Record.
func (r *csvReader) decode(f *frame) Record {
	rec := f.record()
	fields, err := r.split(f)
	if err != nil {
		rec.Err = err
		return rec
	}
	rec.Fields = make(map[string]any, len(r.header))
	for i, v := range fields[:min(len(fields), len(r.header))] {
		rec.Fields[r.header[i]] = v
	}
	if len(fields) != len(r.header) {
		rec.Err = &RecordError{File: r.name, Line: f.line,
			Err: fmt.Errorf("%w: %d fields, header has %d", ErrFieldCount, len(fields), len(r.header))}
	} else if !utf8.Valid(f.data) {
		rec.Err = r.utf8Error(f, fields)
	}
	return rec
}

// utf8Error names the first field of f that is not valid UTF-8.
func (r *csvReader) utf8Error(f *frame, fields []string) error {
	for i, v := range fields {
		if !utf8.ValidString(v) {
			line, col := r.fieldPos(f, fields, i)
			return &RecordError{File: r.name, Line: line, Column: col, Field: r.header[i], Err: r.utf8Cause([]byte(v))}
		}
	}
	// Fields differ from f.data only by quotes, delimiters and line ends,
	// all ASCII, so this is not reached.
	return &RecordError{File: r.name, Line: f.line, Err: ErrInvalidUTF8}
}

// errBadUTF16 is the cause of a record of UTF-16 input with a lone
// surrogate or an odd byte at the end of the file.
var errBadUTF16 = fmt.Errorf("%w: not valid UTF-16 (a lone surrogate, or an odd byte at the end)", ErrInvalidEncoding)

// utf8Cause returns why b, a field or line read from s, is not valid UTF-8.
func (s *src) utf8Cause(b []byte) error {
	if s.codec.utf16 {
		return errBadUTF16
	}
	return utf8Err(b)
}

func (r *csvReader) utf8Cause(b []byte) error { return r.s.utf8Cause(b) }
