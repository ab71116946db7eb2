package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// innerRows is the size of the in-memory inputs of the inner benchmarks.
const innerRows = 50_000

// inner is the cost per row of the parts of validate, from testing.B
// benchmarks over an in-memory input: where validate's time goes.
type inner struct {
	name  string
	nsRow float64
	bRow  int64 // bytes allocated per row
}

func innerBenchmarks(mappingPath string) ([]inner, error) {
	var c, j bytes.Buffer
	if err := generate(&c, "csv", innerRows); err != nil {
		return nil, err
	}
	if err := generate(&j, "jsonl", innerRows); err != nil {
		return nil, err
	}
	spec, err := mapping.ParseFile(mappingPath)
	if err != nil {
		return nil, err
	}
	rows, err := readFields(c.Bytes())
	if err != nil {
		return nil, err
	}
	var mapErrs int
	benches := []struct {
		name string
		fn   func(*testing.B)
	}{
		{"encoding/csv Read", benchStdCSV(c.Bytes())},
		{"source CSV reader Next", benchSource("users.csv", c.Bytes())},
		{"source JSONL reader Next", benchSource("users.jsonl", j.Bytes())},
		{"mapping Spec.Map", benchMap(spec, rows, &mapErrs)},
	}
	var out []inner
	for _, b := range benches {
		r := testing.Benchmark(b.fn)
		out = append(out, inner{name: b.name, nsRow: float64(r.NsPerOp()), bRow: r.AllocedBytesPerOp()})
		logf("inner: %-26s %8.0f ns/row %6d B/row", b.name, float64(r.NsPerOp()), r.AllocedBytesPerOp())
	}
	if mapErrs > 0 {
		return nil, fmt.Errorf("inner: Spec.Map rejected %d generated rows", mapErrs)
	}
	return out, nil
}

func benchStdCSV(data []byte) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		r := csv.NewReader(bytes.NewReader(data))
		for b.Loop() {
			if _, err := r.Read(); errors.Is(err, io.EOF) {
				r = csv.NewReader(bytes.NewReader(data))
			}
		}
	}
}

func benchSource(name string, data []byte) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		open := func() source.Reader {
			r, err := source.OpenReader(name, bytes.NewReader(data), int64(len(data)), source.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return r
		}
		r := open()
		for b.Loop() {
			if _, err := r.Next(); errors.Is(err, io.EOF) {
				r = open()
			}
		}
	}
}

// benchMap counts rows Spec.Map rejects in errs (testing.Benchmark runs
// outside a test, where b.Fatal cannot report).
func benchMap(spec *mapping.Spec, rows []mapping.Row, errs *int) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := spec.Map(rows[i%len(rows)]); err != nil {
				*errs++
			}
			i++
		}
	}
}

func readFields(data []byte) ([]mapping.Row, error) {
	r, err := source.OpenReader("users.csv", bytes.NewReader(data), int64(len(data)), source.Options{})
	if err != nil {
		return nil, err
	}
	var rows []mapping.Row
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, rec.Fields)
	}
}
