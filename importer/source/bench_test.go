package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"runtime"
	"sync"
	"testing"

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
		benchRowsOf(b, data, func() int { return readSource(b, "bench.csv", data) })
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
		benchRowsOf(b, data, func() int { return readSource(b, "bench.jsonl", data) })
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

func readSource(b *testing.B, name string, data []byte) int {
	r, err := OpenReader(name, bytes.NewReader(data), int64(len(data)), Options{})
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
