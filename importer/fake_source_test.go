package importer

import (
	"io"
	"sync/atomic"

	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/source"
)

// The fixtures of every package's tests.
const (
	testMapping = fixture.Mapping
	testStore   = fixture.Store
)

var (
	testSpec = fixture.Spec
	row      = fixture.Row
	rowWith  = fixture.RowWith
	recordAt = fixture.RecordAt
)

// fakeSource hands out records from gen until it returns false, and counts
// the records read. Only the reader goroutine calls Next.
type fakeSource struct {
	gen  func(i int) (source.Record, bool)
	read atomic.Int64
}

func sliceSource(recs []source.Record) *fakeSource {
	return &fakeSource{gen: func(i int) (source.Record, bool) {
		if i >= len(recs) {
			return source.Record{}, false
		}
		return recs[i], true
	}}
}

// endlessSource yields good rows 2, 3, 4, ... without end.
func endlessSource() *fakeSource {
	return &fakeSource{gen: func(i int) (source.Record, bool) { return recordAt(i+2, row(i+2)), true }}
}

func (s *fakeSource) Next() (source.Record, error) {
	rec, ok := s.gen(int(s.read.Load()))
	if !ok {
		return source.Record{}, io.EOF
	}
	s.read.Add(1)
	return rec, nil
}

func (s *fakeSource) Header() []string { return nil }
func (s *fakeSource) Close() error     { return nil }
