package timeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ParseError is a malformed line in a timeline file (not the torn last line
// a crash leaves, which readers drop).
type ParseError struct {
	Path string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("parse timeline %s:%d: %v", e.Path, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ReadFile returns the buckets of the timeline file at path, oldest first,
// merged as Series does to at most about maxBuckets (0: no bound). A torn
// last line (no newline, not valid JSON) is dropped; any other malformed
// line is a *ParseError.
func ReadFile(path string, maxBuckets int) ([]Bucket, error) {
	s := NewSeries(maxBuckets)
	if err := scanFile(path, s.Add); err != nil {
		return nil, err
	}
	return s.Buckets(), nil
}

// ReadDir returns the buckets of every timeline file in dir (the files
// PathFor names), oldest file first, merged into one Series of at most
// about maxBuckets. A dir without timeline files gives no buckets.
func ReadDir(dir string, maxBuckets int) ([]Bucket, error) {
	paths, err := Files(dir)
	if err != nil {
		return nil, err
	}
	s := NewSeries(maxBuckets)
	for _, p := range paths {
		if err := scanFile(p, s.Add); err != nil {
			return nil, err
		}
	}
	return s.Buckets(), nil
}

// Files returns the paths of the regular timeline files in dir, sorted by
// name (so by run start).
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list timelines: %w", err)
	}
	var paths []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, FilePrefix) && strings.HasSuffix(n, FileSuffix) {
			paths = append(paths, filepath.Join(dir, n))
		}
	}
	slices.Sort(paths)
	return paths, nil
}

// scanFile calls add for each bucket of the file at path.
func scanFile(path string, add func(Bucket)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read timeline: %w", err)
	}
	defer f.Close()
	return scan(path, bufio.NewReader(f), add)
}

// scan decodes JSON lines from r, dropping a torn last line.
func scan(path string, r *bufio.Reader, add func(Bucket)) error {
	for line := 1; ; line++ {
		raw, err := r.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read timeline %s: %w", path, err)
		}
		torn := errors.Is(err, io.EOF)
		if len(bytes.TrimSpace(raw)) > 0 {
			var b Bucket
			if jerr := json.Unmarshal(raw, &b); jerr != nil {
				if torn {
					return nil
				}
				return &ParseError{Path: path, Line: line, Err: jerr}
			}
			add(b)
		}
		if torn {
			return nil
		}
	}
}

// Series collects buckets in time order (and owns them: Add may modify
// their maps; pass Clone()s of buckets you keep) into at most about max buckets:
// when it would hold more, it doubles its step and merges neighbours, so a
// long run keeps its shape in bounded memory. Buckets are merged only when
// contiguous (one ends where the next starts), never across the gap
// between two runs.
type Series struct {
	max    int
	step   int64 // seconds per slot
	origin time.Time
	list   []Bucket
}

// NewSeries returns an empty series of at most about max buckets (0: no
// bound, every bucket kept as it is).
func NewSeries(max int) *Series { return &Series{max: max, step: 1} }

// Add appends b, which must not start before the buckets added earlier.
func (s *Series) Add(b Bucket) {
	if len(s.list) == 0 {
		s.origin = b.Time
	}
	s.list = s.push(s.list, b)
	if s.max > 0 && len(s.list) > s.max {
		s.step *= 2
		old := s.list
		s.list = nil
		for _, o := range old {
			s.list = s.push(s.list, o)
		}
	}
}

// push appends b to list, merged into the last bucket when both are
// contiguous and start in the same slot.
func (s *Series) push(list []Bucket, b Bucket) []Bucket {
	if n := len(list); n > 0 {
		last := &list[n-1]
		if last.End().Equal(b.Time) && s.slot(last.Time) == s.slot(b.Time) {
			last.Merge(b)
			return list
		}
	}
	return append(list, b)
}

func (s *Series) slot(t time.Time) int64 { return int64(t.Sub(s.origin)/time.Second) / s.step }

// Buckets returns the collected buckets, oldest first.
func (s *Series) Buckets() []Bucket { return s.list }
