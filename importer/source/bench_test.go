package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/cespare/xxhash/v2"

	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

const benchRows = 100_000

// benchData holds benchRows generated rows, as CSV and as JSONL.
var benchData = sync.OnceValues(func() (csvData, jsonl []byte) {
	var c, j bytes.Buffer
	if err := sourcetest.WriteCSV(&c, benchRows, 1); err != nil {
		panic(err)
	}
	if err := sourcetest.WriteJSONL(&j, benchRows, 1); err != nil {
		panic(err)
	}
	return c.Bytes(), j.Bytes()
})

// BenchmarkCSV reads a 10-column CSV with this package and, for comparison,
// with encoding/csv alone, with and without a map per row.
func BenchmarkCSV(b *testing.B) {
	data, _ := benchData()
	b.Run("source", func(b *testing.B) {
		benchRowsOf(b, data, func() int { return readSource(b, "bench.csv", data, 0) })
	})
	b.Run("source-no-cursor", func(b *testing.B) {
		start := int64(bytes.IndexByte(data, '\n') + 1)
		benchRowsOf(b, data, func() int { return readSource(b, "bench.csv", data, start) })
	})
	b.Run("encoding-csv", func(b *testing.B) {
		benchRowsOf(b, data, func() int { return readRawCSV(b, data, false) })
	})
	b.Run("encoding-csv+map", func(b *testing.B) {
		benchRowsOf(b, data, func() int { return readRawCSV(b, data, true) })
	})
}

// BenchmarkJSONL reads JSONL of the same rows with this package and, for
// comparison, with one encoding/json Decoder over the whole input.
func BenchmarkJSONL(b *testing.B) {
	_, data := benchData()
	b.Run("source", func(b *testing.B) {
		benchRowsOf(b, data, func() int { return readSource(b, "bench.jsonl", data, 0) })
	})
	b.Run("source-no-cursor", func(b *testing.B) {
		benchRowsOf(b, data, func() int { return readSource(b, "bench.jsonl", data, -1) })
	})
	b.Run("encoding-json", func(b *testing.B) {
		benchRowsOf(b, data, func() int { return readRawJSON(b, data) })
	})
}

// benchRowsOf runs read, which returns the rows it read, and reports the
// time and allocations per row.
func benchRowsOf(b *testing.B, data []byte, read func() int) {
	b.SetBytes(int64(len(data)))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs, rows := ms.Mallocs, 0
	for b.Loop() {
		rows += read()
	}
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(float64(ms.Mallocs-mallocs)/float64(rows), "allocs/row")
}

// readSource reads data with this package. At offset start, not 0, records
// have no cursor (Next), which shows what cursors cost; -1 is 0 with no
// cursor.
func readSource(b *testing.B, name string, data []byte, start int64) int {
	r, err := OpenReader(name, bytes.NewReader(data), int64(len(data)), Options{})
	if start != 0 {
		r.(recReader).seek(max(start, 0), 1, nil)
	}
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return n
		}
		if err != nil || rec.Err != nil {
			b.Fatal(err, rec.Err)
		}
		n++
	}
}

func readRawCSV(b *testing.B, data []byte, withMap bool) int {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		b.Fatal(err)
	}
	header = append([]string(nil), header...)
	n := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		if withMap {
			m := make(map[string]any, len(header))
			for i, v := range rec {
				m[header[i]] = v
			}
		}
		n++
	}
}

func readRawJSON(b *testing.B, data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n := 0
	for {
		var v map[string]any
		err := dec.Decode(&v)
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkVerify measures File.Open(cursor) at the end of a file, which
// reads and hashes every byte before the cursor: the cost of resuming. The
// file is SOURCE_VERIFY_MB MiB (64 by default), written once and read from
// the page cache.
func BenchmarkVerify(b *testing.B) {
	mb := 64
	if s := os.Getenv("SOURCE_VERIFY_MB"); s != "" {
		mb, _ = strconv.Atoi(s)
	}
	path := filepath.Join(b.TempDir(), "users.csv")
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	block, _ := benchData()
	h, lines, size := xxhash.New(), int64(1), int64(0)
	for size < int64(mb)<<20 {
		if _, err := out.Write(block); err != nil {
			b.Fatal(err)
		}
		h.Write(block)
		lines += int64(bytes.Count(block, []byte{'\n'}))
		size += int64(len(block))
		block = block[bytes.IndexByte(block, '\n')+1:] // the header only once
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	f, err := NewFile(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	cur := cursor{off: size, line: lines, sum: h.Sum64()}.String()
	b.SetBytes(size)
	for b.Loop() {
		r, err := f.Open(cur)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Next(); err != io.EOF {
			b.Fatal(err)
		}
		r.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(float64(size)/(1<<30))/1e9, "s/GiB")
}

// BenchmarkRecordCursor measures what a cursor adds to each record: hashing
// a 110-byte record (the generated rows' mean) and formatting ID and Next,
// against formatting the ID alone.
func BenchmarkRecordCursor(b *testing.B) {
	row := bytes.Repeat([]byte("x"), 110)
	for _, hashed := range []bool{false, true} {
		name := "id-only"
		if hashed {
			name = "id+cursor"
		}
		b.Run(name, func(b *testing.B) {
			h := xxhash.New()
			f := frame{off: 123456789, end: 123456899, line: 1234567, endLine: 1234568, hashed: hashed}
			for b.Loop() {
				if hashed {
					h.Write(row)
					f.sum = h.Sum64()
				}
				rec := f.record()
				f.off, f.end = f.end, f.end+110
				if rec.ID == "" {
					b.Fatal("no ID")
				}
			}
		})
	}
}
