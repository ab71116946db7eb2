package htmlreport

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/timeline"
)

func TestFormat(t *testing.T) {
	nums := []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-12345, "-12,345"}}
	for _, tt := range nums {
		if got := num(tt.n); got != tt.want {
			t.Errorf("num(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	spans := []struct {
		d    time.Duration
		want string
	}{{45 * time.Second, "45s"}, {725 * time.Second, "12m05s"}, {3*time.Hour + 4*time.Minute, "3h04m"}, {51 * time.Hour, "2d03h"}}
	for _, tt := range spans {
		if got := span(tt.d); got != tt.want {
			t.Errorf("span(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := outcomes(map[string]int64{"zeta": 1, "skipped": 1, "created": 1, "alpha": 1}); strings.Join(got, ",") != "created,skipped,alpha,zeta" {
		t.Errorf("outcomes order %v", got)
	}
}

func TestRelativeHref(t *testing.T) {
	tests := []struct{ name, want string }{
		{"created.csv", "created.csv"},
		{"odd name #1.csv", "odd%20name%20%231.csv"},
		{"sub/dir/x.csv", "sub/dir/x.csv"},
		{"javascript:alert(1)", "./javascript:alert%281%29"},
		{"../up.csv", ""},
		{"a/../../up.csv", ""},
		{"/etc/passwd", ""},
		{`..\win.csv`, ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := relativeHref(tt.name); got != tt.want {
			t.Errorf("relativeHref(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAxis(t *testing.T) {
	tests := []struct{ hi, max float64 }{{20, 25}, {0, 1.25}, {3, 4}, {100, 125}, {1800, 2000}}
	for _, tt := range tests {
		a := newAxis(tt.hi)
		if a.Max != tt.max || a.Ticks[0] != 0 || a.Ticks[len(a.Ticks)-1] != a.Max {
			t.Errorf("newAxis(%v) = %+v, want max %v", tt.hi, a, tt.max)
		}
		if a.Y(0) != plotB || a.Y(a.Max) != plotT || a.Y(2*a.Max) != plotT {
			t.Errorf("axis %v maps 0..max onto %v..%v", a.Max, a.Y(0), a.Y(a.Max))
		}
	}
}

func TestBinsLayout(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var tl []timeline.Bucket
	for i := range 10 {
		tl = append(tl, timeline.Bucket{Time: t0.Add(time.Duration(i) * time.Second), Settled: map[string]int64{"created": 4}})
	}
	tl = append(tl, timeline.Bucket{Time: t0.Add(time.Hour), Span: 10, Settled: map[string]int64{"created": 20}})
	bs := bins(tl)
	if len(bs) != 11 {
		t.Fatalf("%d bins", len(bs))
	}
	if bs[0].X != plotL || !bs[10].NewRun || bs[9].NewRun {
		t.Errorf("run break misplaced: %+v", bs[10])
	}
	if end := bs[10].X + bs[10].W; end < plotR-0.01 || end > plotR+0.01 {
		t.Errorf("bins end at %v, want %v", end, plotR)
	}
	if bs[10].W < 9.9*bs[0].W || bs[10].Created != 2 || bs[0].Created != 4 {
		t.Errorf("a 10 s bin is %v wide (1 s: %v), created/s %v", bs[10].W, bs[0].W, bs[10].Created)
	}
	if gap := bs[10].X - (bs[9].X + bs[9].W); gap < gapW-0.01 || gap > gapW+0.01 {
		t.Errorf("gap %v, want %v", gap, gapW)
	}
	labels := xLabels(bs)
	if len(labels) < 2 || labels[len(labels)-1].Text != "01:00:00" {
		t.Errorf("the second run's start is not labelled: %+v", labels)
	}
}

func TestPeriods(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var tl []timeline.Bucket
	for s := range 700 {
		b := timeline.Bucket{Time: t0.Add(time.Duration(s) * time.Second), Settled: map[string]int64{"created": 20}}
		if s >= 120 && s < 180 {
			b.Settled["created"] = 5
		}
		b.Latency = timeline.Latency{Count: 1, Max: float64(s), Hist: timeline.Histogram{s / 20: 1}}
		tl = append(tl, b)
	}
	tl = append(tl, timeline.Bucket{Time: t0.Add(700 * time.Second), Span: 200}) // idle to 900 s
	l := periodLength(tl)
	if l != time.Minute {
		t.Fatalf("period length %v", l)
	}
	ps := periods(tl, l)
	if len(ps) != 15 {
		t.Fatalf("%d periods, want 15", len(ps))
	}
	var covered int64
	for _, p := range ps {
		covered += p.Covered
	}
	if covered != 900 {
		t.Errorf("periods cover %d s, want 900", covered)
	}
	low := lowestThroughput(ps)
	if len(low) != slowestCount || low[0].CreatedPerSecond() != 0 || !low[0].Start.Equal(t0.Add(12*time.Minute)) {
		t.Errorf("lowest first = %+v", low[0])
	}
	if !contains(low, t0.Add(2*time.Minute)) {
		t.Error("the 5/s minute is not among the lowest")
	}
	hi := highestLatency(ps)
	if len(hi) != slowestCount || !hi[0].Start.Equal(t0.Add(11*time.Minute)) {
		t.Errorf("highest latency first = %+v", hi[0])
	}
	if tl[0].Latency.Count != 1 {
		t.Error("periods modified the caller's buckets")
	}
}

func contains(ps []period, start time.Time) bool {
	for _, p := range ps {
		if p.Start.Equal(start) {
			return true
		}
	}
	return false
}

func TestWriteEscapesEverything(t *testing.T) {
	evil := `"><script>alert(1)</script><x y='`
	d := Data{Title: evil, StateDir: evil, Totals: map[string]int64{evil: 1}, RowsRead: 1,
		Runs:    []Run{{Command: evil, Outcome: evil, Counts: map[string]int64{evil: 1}}},
		Codes:   []CodeCount{{Outcome: evil, Code: evil, Rows: 1}},
		Reports: []ReportFile{{Name: evil, Rows: 1}},
		Timeline: []timeline.Bucket{{Time: time.Unix(0, 0).UTC(), Answers: map[string]map[string]int64{evil: {evil: 1}},
			Settled: map[string]int64{evil: 1}}}}
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script", "<x y=", `="'`} {
		if strings.Contains(page, bad) {
			t.Errorf("unescaped %q in page", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("escaped text missing")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteReturnsWriterError(t *testing.T) {
	if err := Write(failWriter{}, sampleData()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	target := filepath.Join(dir, "target")
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, sampleData()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Fatalf("report %v %v: want a regular 0600 file", fi.Mode(), err)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Error("the symlink was followed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := WriteFile(filepath.Join(dir, "no", "report.html"), Data{}); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
}

func TestTickLabels(t *testing.T) {
	tests := []struct {
		hi   float64
		want string
	}{{0.19, "0.00,0.05,0.10,0.15,0.20"}, {20, "0,5,10,15,20,25"}, {2.2, "0,1,2,3"}, {0, "0.00,0.25,0.50,0.75,1.00,1.25"}, {1800, "0,500,1000,1500,2000"}}
	for _, tt := range tests {
		var got []string
		for _, tk := range ticks(newAxis(tt.hi)) {
			got = append(got, tk.Text)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("ticks(%v) = %v, want %s", tt.hi, got, tt.want)
		}
	}
}
