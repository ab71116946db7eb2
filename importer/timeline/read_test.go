package timeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestReadTornAndMalformed(t *testing.T) {
	good := `{"t":"2026-12-02T18:00:00Z","settled":{"created":2}}` + "\n"
	tests := []struct {
		name    string
		content string
		want    int // buckets, -1: a ParseError
		line    int
	}{
		{"empty", "", 0, 0},
		{"one", good, 1, 0},
		{"torn last line", good + `{"t":"2026-12-02T18:00:01Z","sett`, 1, 0},
		{"complete last line without newline", good + `{"t":"2026-12-02T18:00:01Z"}`, 2, 0},
		{"blank lines", good + "\n" + good, 2, 0},
		{"malformed middle line", good + "{oops\n" + good, -1, 2},
		{"malformed last line with newline", good + "{oops\n", -1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tl.jsonl")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(path, 0)
			if tt.want < 0 {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line != tt.line {
					t.Fatalf("err = %v, want ParseError at line %d", err, tt.line)
				}
				return
			}
			if err != nil || len(got) != tt.want {
				t.Fatalf("got %d buckets, %v; want %d", len(got), err, tt.want)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "none"), 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadDirJoinsRunsInOrder(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for run, start := range []time.Time{base.Add(time.Hour), base} { // written out of order
		lines := ""
		for s := range 3 {
			lines += fmt.Sprintf(`{"t":%q,"settled":{"created":%d}}`+"\n", start.Add(time.Duration(s)*time.Second).Format(time.RFC3339), run+1)
		}
		if err := os.WriteFile(PathFor(dir, start), []byte(lines), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "runs.jsonl"), []byte("not a timeline\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || !got[0].Time.Equal(base) || got[0].Settled["created"] != 2 || got[5].Settled["created"] != 1 {
		t.Fatalf("got %+v", got)
	}
	merged, err := ReadDir(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(merged) != 2 || merged[0].Seconds() != 3 || merged[0].Settled["created"] != 6 || merged[1].Settled["created"] != 3 {
		t.Fatalf("merged across the gap between runs or lost counts: %+v", merged)
	}
	if len(mustGlob(t, filepath.Join(dir, FilePrefix+"*"+FileSuffix))) != 2 {
		t.Fatal("PathFor names do not match FilePrefix/FileSuffix")
	}
}

func TestSeriesBoundKeepsTotals(t *testing.T) {
	tests := []struct{ n, max int }{{10, 0}, {10, 10}, {1000, 100}, {86400, 500}, {7, 1}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d", tt.n, tt.max), func(t *testing.T) {
			s := NewSeries(tt.max)
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := range tt.n {
				b := Bucket{Time: t0.Add(time.Duration(i) * time.Second), Settled: map[string]int64{"created": 2}, Rate: float64(i)}
				b.Latency.observe(time.Duration(i%50) * time.Millisecond)
				s.Add(b)
			}
			got := s.Buckets()
			if tt.max > 0 && len(got) > tt.max {
				t.Fatalf("%d buckets, bound %d", len(got), tt.max)
			}
			var created, secs, lat int64
			for _, b := range got {
				created += b.Settled["created"]
				secs += int64(b.Seconds())
				lat += b.Latency.Count
			}
			if created != int64(2*tt.n) || secs != int64(tt.n) || lat != int64(tt.n) {
				t.Fatalf("created %d secs %d latencies %d for n %d", created, secs, lat, tt.n)
			}
			if last := got[len(got)-1]; last.Rate != float64(tt.n-1) {
				t.Errorf("last rate %v, want the latest", last.Rate)
			}
		})
	}
}

func TestLatencyQuantiles(t *testing.T) {
	var l Latency
	for i := 1; i <= 100; i++ {
		l.observe(time.Duration(i) * time.Millisecond)
	}
	l.summarise()
	within := func(got, want float64) bool { return got >= want && got <= want*1.19+0.5 }
	if !within(l.P50, 50) || !within(l.P99, 99) || l.Max != 100 {
		t.Fatalf("latency %+v", l)
	}
	var huge Latency
	huge.observe(10 * time.Minute)
	huge.observe(0)
	if huge.Quantile(1) != 600000 || binOf(10*time.Minute) != histBins-1 || binOf(0) != 0 {
		t.Fatalf("extremes: %+v", huge)
	}
	var empty Latency
	if empty.Quantile(0.5) != 0 {
		t.Fatal("empty quantile")
	}
}

func TestCloneIsDeep(t *testing.T) {
	b := Bucket{Time: time.Unix(0, 0).UTC(), Sent: map[string]int64{"a": 1}, Settled: map[string]int64{"created": 1},
		Answers: map[string]map[string]int64{"a": {CodeOK: 1}}, Refused: 2, Retries: 3}
	b.Latency.observe(time.Millisecond)
	c := b.Clone()
	c.Merge(b)
	if b.Sent["a"] != 1 || b.Settled["created"] != 1 || b.Answers["a"][CodeOK] != 1 || b.Latency.Hist[binOf(time.Millisecond)] != 1 {
		t.Fatalf("merging into a clone changed the original: %+v", b)
	}
	if c.Sent["a"] != 2 || c.Refused != 4 || c.Retries != 6 || c.Latency.Count != 2 || c.Seconds() != 1 {
		t.Fatalf("clone merged = %+v", c)
	}
}
