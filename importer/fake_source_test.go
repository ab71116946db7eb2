package importer

import (
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// testMapping maps rows with columns id, name, email, phone and pw; the
// legacy id goes to IndexedAttribute1.
const testMapping = `version: 1
key: id
fields:
  UserName: { from: name }
  Email: { from: email, transforms: [trim, lower] }
  PhoneNumber: { from: phone, phone: { default_region: CN, format: ciam } }
  Password: { from: pw }
  IndexedAttribute1: id
`

func testSpec(t testing.TB) *mapping.Spec {
	t.Helper()
	spec, err := mapping.Parse("test-mapping.yaml", []byte(testMapping))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// row is the source fields of a good row numbered n.
func row(n int) map[string]any {
	return map[string]any{"id": fmt.Sprintf("K%d", n), "name": fmt.Sprintf("user%d", n),
		"email": fmt.Sprintf("u%d@example.com", n), "phone": fmt.Sprintf("138%08d", n), "pw": "Passw0rd!"}
}

// rowWith is row(n) with some fields replaced.
func rowWith(n int, kv ...string) map[string]any {
	r := row(n)
	for i := 0; i+1 < len(kv); i += 2 {
		r[kv[i]] = kv[i+1]
	}
	return r
}

// recordAt places fields as the record starting on line n (one line per
// record, 100 bytes each), named as a file source names it: ID its offset,
// Next the "offset:line" cursor past it.
func recordAt(n int, fields map[string]any) source.Record {
	off := int64(n) * 100
	return source.Record{ID: fmt.Sprint(off), Next: fmt.Sprintf("%d:%d", off+100, n+1), Pos: off + 100,
		Line: int64(n), Offset: off, End: off + 100, EndLine: int64(n + 1), Fields: fields}
}

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
