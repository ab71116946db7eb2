package source

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

// synthFile is a file of prefix, n copies of fill, then suffix, made up as
// it is read.
type synthFile struct {
	prefix, suffix string
	fill           []byte // a block of the fill byte
	n              int64
}

func (f synthFile) size() int64 { return int64(len(f.prefix)) + f.n + int64(len(f.suffix)) }

func (f synthFile) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		o := off + int64(n)
		switch {
		case o < int64(len(f.prefix)):
			n += copy(p[n:], f.prefix[o:])
		case o < int64(len(f.prefix))+f.n:
			k := min(int64(len(p)-n), int64(len(f.prefix))+f.n-o, int64(len(f.fill)))
			n += copy(p[n:n+int(k)], f.fill)
		case o < f.size():
			n += copy(p[n:], f.suffix[o-int64(len(f.prefix))-f.n:])
		default:
			return n, io.EOF
		}
	}
	return n, nil
}

// TestHugeLine reads 50 MB lines and checks that they cost a bounded amount
// of memory and do not stop the records after them.
func TestHugeLine(t *testing.T) {
	const huge = 50 << 20
	x := bytes.Repeat([]byte{'x'}, 64<<10)
	tests := []struct {
		name string
		file synthFile
		want map[string]any // the record after the huge one
	}{
		{"users.jsonl", synthFile{prefix: `{"a":"`, fill: x, n: huge, suffix: "\"}\n{\"b\":1}\n"}, nil},
		{"users.csv", synthFile{prefix: "a\n", fill: x, n: huge, suffix: "\n2\n"}, m("a", "2")},
		{"users.csv", synthFile{prefix: "a\n\"", fill: x, n: huge, suffix: "\"\n3\n"}, m("a", "3")},
	}
	for _, tt := range tests {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := OpenReader(tt.name, tt.file, tt.file.size(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		recs := readAll(t, r)
		runtime.ReadMemStats(&after)
		if len(recs) != 2 || !errors.Is(recs[0].Err, ErrLineTooLong) || recs[1].Err != nil {
			t.Fatalf("%s: read %+v", tt.name, recs)
		}
		if tt.want != nil && !equalFields(recs[1].Fields, tt.want) {
			t.Errorf("%s: second record %v, want %v", tt.name, recs[1].Fields, tt.want)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
			t.Errorf("%s: reading a %d MB line allocated %d MB", tt.name, huge>>20, alloc>>20)
		}
	}
}

func equalFields(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestConstantMemory reads a generated file through and checks that the
// live heap does not grow with the records read.
func TestConstantMemory(t *testing.T) {
	for _, format := range []string{"users.csv", "users.jsonl"} {
		rows := 200_000
		if format == "users.jsonl" {
			rows = 50_000 // JSON decoding is slower
		}
		if testing.Short() || raceEnabled {
			rows /= 20
		}
		var buf bytes.Buffer
		write := sourcetest.WriteCSV
		if format == "users.jsonl" {
			write = sourcetest.WriteJSONL
		}
		if err := write(&buf, rows, 3); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		r, err := OpenReader(format, bytes.NewReader(data), int64(len(data)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := readN(t, r, 1000)
		base := liveHeap()
		n += readN(t, r, rows)
		growth := int64(liveHeap()) - int64(base)
		if n != rows {
			t.Fatalf("%s: read %d records, want %d", format, n, rows)
		}
		t.Logf("%s: live heap grew by %d KB over %d records", format, growth>>10, rows)
		if growth > 1<<20 {
			t.Errorf("%s: live heap grew by %d KB over %d records (%d MB)", format, growth>>10, rows, len(data)>>20)
		}
		runtime.KeepAlive(data)
	}
}

// readN reads up to n good records from r and returns how many it read.
func readN(t *testing.T, r Reader, n int) int {
	for i := range n {
		rec, err := r.Next()
		if err == io.EOF {
			return i
		}
		if err != nil || rec.Err != nil {
			t.Fatal(err, rec.Err)
		}
	}
	return n
}

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
