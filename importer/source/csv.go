package source

import (
	"encoding/csv"
	"fmt"
	"io"
	"unicode/utf8"
)

// csvReader reads CSV records: a csvFramer cuts them out of the input and an
// encoding/csv Reader decodes them one at a time.
type csvReader struct {
	state
	opt    Options
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

// newCSV reads the header from the start of ra, then positions the reader
// at opt.Offset.
func newCSV(name string, ra io.ReaderAt, size int64, opt Options) (*csvReader, error) {
	r := &csvReader{state: state{name: name}, opt: opt}
	r.resetCSV()
	start := bomLen(ra, size)
	r.fr = r.framer(io.NewSectionReader(ra, start, size-start), start, 1)
	if err := r.readHeader(); err != nil {
		return nil, err
	}
	if opt.Offset == 0 {
		return r, nil
	}
	line, err := resumeLine(ra, size, opt, r.fr.w.off, r.fr.w.line)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	r.fr = r.framer(io.NewSectionReader(ra, opt.Offset, size-opt.Offset), opt.Offset, line)
	return r, nil
}

func (r *csvReader) framer(in io.Reader, off, line int64) *csvFramer {
	return &csvFramer{w: newWindow(in, off, line, r.opt.readSize), delim: byte(r.opt.Delimiter),
		max: r.opt.MaxRecordBytes, tooLong: tooLongErr(r.opt.MaxRecordBytes)}
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
	return r.decode(&f), nil
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
			return &RecordError{File: r.name, Line: line, Column: col, Field: r.header[i], Err: ErrInvalidUTF8}
		}
	}
	// Fields differ from f.data only by quotes, delimiters and line ends,
	// all ASCII, so this is not reached.
	return &RecordError{File: r.name, Line: f.line, Err: ErrInvalidUTF8}
}
