package source

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Reread reads again the records whose IDs (Record.ID of an earlier read
// of this file) are ids, in that order; the same ID twice reads the record
// twice. An ID that is not the offset of a record of the file now (not a
// number, past the end, not at a line start, on a blank line) comes back as
// a Record with that ID and Err a *RecordError matching ErrOffset. Records
// from Reread have no cursor: Next is "". It fails like Open; the caller
// must Close the Reader.
func (f *File) Reread(ids []string) (Reader, error) {
	s, err := f.src()
	if err != nil {
		return nil, err
	}
	r, err := s.reread(ids)
	if err != nil {
		s.watch.f.Close()
		return nil, err
	}
	return r, nil
}

// reread returns the Reader of File.Reread on s.
func (s *src) reread(ids []string) (Reader, error) {
	rd, err := s.reader()
	if err != nil {
		return nil, err
	}
	rr := &rereader{r: rd, s: s, ids: ids}
	rr.first, _ = rd.at()
	if err := rr.countLines(); err != nil {
		return nil, fmt.Errorf("read %s: %w", s.name, err)
	}
	return rr, nil
}

// rereader is the Reader of File.Reread.
type rereader struct {
	r     recReader
	s     *src
	ids   []string
	next  int     // index in ids of the next record
	first int64   // offset of the first record
	offs  []int64 // the valid offsets among ids, sorted, unique
	lines []int64 // the line at each of offs
	err   error   // sticky input error
}

// Header returns the CSV column names, or nil for JSONL.
func (rr *rereader) Header() []string { return rr.r.Header() }

// Close closes the file.
func (rr *rereader) Close() error { return rr.r.Close() }

// Next returns the record of the next ID; see Reader.
func (rr *rereader) Next() (Record, error) {
	if rr.err != nil {
		return Record{}, rr.err
	}
	if rr.next == len(rr.ids) {
		if _, err := rr.r.Next(); err != nil && err != io.EOF {
			return Record{}, err // closed
		}
		return Record{}, io.EOF
	}
	id := rr.ids[rr.next]
	rr.next++
	off, why := rr.offset(id)
	if why != "" {
		return rr.missing(id, 0, why), nil
	}
	i, _ := slices.BinarySearch(rr.offs, off)
	line := rr.lines[i]
	rr.r.seek(off, line, nil)
	rec, err := rr.r.Next()
	switch {
	case err == io.EOF || err == nil && rec.Offset != off:
		return rr.missing(id, line, "it is a blank line"), nil
	case err != nil:
		rr.err = err
		return Record{}, err
	}
	return rec, nil
}

// missing returns the Record of an ID that names no record, for reason why.
func (rr *rereader) missing(id string, line int64, why string) Record {
	return Record{ID: id, Line: line, Err: &RecordError{File: rr.s.name, Line: line,
		Err: fmt.Errorf("%w: no record at ID %q: %s", ErrOffset, clip(id), why)}}
}

// offset returns the offset that id names, or why it names none.
func (rr *rereader) offset(id string) (int64, string) {
	off, err := strconv.ParseInt(id, 10, 64)
	switch {
	case err != nil || off < 0 || strconv.FormatInt(off, 10) != id:
		return 0, "not a decimal byte offset"
	case off < rr.first:
		return 0, fmt.Sprintf("it is before the first record, at %d", rr.first)
	case off >= rr.s.size:
		return 0, fmt.Sprintf("it is past the end of the file, at %d", rr.s.size)
	case off > rr.first && !rr.s.lineStart(off):
		return 0, "it is not at the start of a line"
	}
	return off, ""
}

// countLines finds the line number of every valid offset among rr.ids.
func (rr *rereader) countLines() error {
	for _, id := range rr.ids {
		if off, why := rr.offset(id); why == "" {
			rr.offs = append(rr.offs, off)
		}
	}
	slices.Sort(rr.offs)
	rr.offs = slices.Compact(rr.offs)
	rr.lines = make([]int64, len(rr.offs))
	buf := make([]byte, verifySize)
	pos, line := int64(0), int64(1)
	for i, off := range rr.offs {
		for pos < off {
			n, err := rr.s.ra.ReadAt(buf[:min(int64(len(buf)), off-pos)], pos)
			line += rr.s.newlines(buf[:n], pos)
			pos += int64(n)
			if err != nil && pos < off {
				return err
			}
		}
		rr.lines[i] = line
	}
	return nil
}

// lineStart reports whether file offset off, after the first record's, is
// just after a newline.
func (s *src) lineStart(off int64) bool {
	var b [2]byte
	if !s.codec.utf16 {
		_, err := s.ra.ReadAt(b[:1], off-1)
		return err == nil && b[0] == '\n'
	}
	if off&1 != 0 {
		return false
	}
	_, err := s.ra.ReadAt(b[:], off-2)
	nl := [2]byte{'\n', 0}
	if s.codec.bigEndian {
		nl = [2]byte{0, '\n'}
	}
	return err == nil && b == nl
}
