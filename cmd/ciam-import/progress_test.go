package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func counts(created, rejected int64) outcome.Counts {
	c := outcome.Counts{}
	c.Add(outcome.Created.Name, created)
	c.Add(outcome.Rejected.Name, rejected)
	return c
}

// liveProgress drives a live progress line of width columns through a run
// of 320 rows of 100 bytes settled at 20 per second.
func liveProgress(t *testing.T, width int) (out string, last string) {
	t.Helper()
	var buf bytes.Buffer
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	p := &progress{live: true, out: &buf, logger: slog.Default(), width: func() int { return width }, now: clock.now}
	for i := int64(0); i <= 40; i++ { // every 200 ms: each update is drawn
		p.update(importer.Progress{Counts: counts(i*4-i/10, i/10), Pos: i * 400, Size: 32000, Rate: 40})
		clock.t = clock.t.Add(200 * time.Millisecond)
	}
	draws := strings.Split(buf.String(), "\r")
	return buf.String(), strings.TrimSuffix(draws[len(draws)-1], "\x1b[K")
}

func TestProgressLineFitsTheTerminal(t *testing.T) {
	for _, width := range []int{80, 120} {
		out, last := liveProgress(t, width)
		for _, draw := range strings.Split(out, "\r")[1:] {
			line := strings.TrimSuffix(draw, "\x1b[K")
			if n := utf8.RuneCountInString(line); n >= width {
				t.Errorf("width %d: a line of %d columns would wrap: %q", width, n, line)
			}
			if !strings.HasSuffix(draw, "\x1b[K") || strings.Contains(line, "\n") {
				t.Errorf("width %d: a draw is not one line cleared to its end: %q", width, draw)
			}
		}
		// 320 rows settle at 20/s: 160 of them (the first half of the
		// bytes) after 8 s, the rest in 8 s more.
		for _, want := range []string{" 50% of input [", "created 156", "rejected 4", "20.0 rows/s", "10s left"} {
			if !strings.Contains(last, want) {
				t.Errorf("width %d: last line %q lacks %q", width, last, want)
			}
		}
		if strings.Contains(last, "max") || strings.Contains(last, "40") {
			t.Errorf("width %d: the line shows the cap, not the rate: %q", width, last)
		}
	}
}

func TestProgressLineNarrowTerminalCutsCounts(t *testing.T) {
	m := &meter{warm: true, rows: 19.96, bytes: 400}
	pr := importer.Progress{Counts: counts(123456, 789), Pos: 100, Size: 1000}
	line := progressLine(pr, m, 50)
	if n := utf8.RuneCountInString(line); n >= 50 {
		t.Fatalf("%d columns: %q", n, line)
	}
	if !strings.HasPrefix(line, " 10% of input") || !strings.Contains(line, "20.0 rows/s") {
		t.Errorf("the percent and rate must survive a narrow terminal: %q", line)
	}
}

func TestProgressRetryPassHasNoInputPercent(t *testing.T) {
	m := &meter{warm: true, rows: 5, bytes: 1}
	line := progressLine(importer.Progress{Counts: counts(3, 0), Pass: 1, Pos: 3, Size: 30000}, m, 120)
	if !strings.HasPrefix(line, "retry pass 1") || strings.Contains(line, "%") || strings.Contains(line, "left") {
		t.Errorf("retry pass line: %q", line)
	}
}

func TestProgressETAIsSmoothed(t *testing.T) {
	m := &meter{}
	t0 := time.Unix(1e9, 0)
	pos := int64(0)
	for i := 0; i <= 30; i++ { // 100 bytes/s for 30 s
		m.sample(t0.Add(time.Duration(i)*time.Second), importer.Progress{Pos: pos, Size: 100000})
		pos += 100
	}
	// a 1 s stall then a burst: the time left moves by a fraction, not 10x
	m.sample(t0.Add(31*time.Second), importer.Progress{Pos: pos, Size: 100000})
	m.sample(t0.Add(32*time.Second), importer.Progress{Pos: pos + 1000, Size: 100000})
	left, _ := m.left(importer.Progress{Pos: pos + 1000, Size: 100000})
	if want := 960 * time.Second; left < want/2 || left > want*2 {
		t.Errorf("left %s after a burst, want near %s", left, want)
	}
}

func TestProgressLogsNumbersOffATerminal(t *testing.T) {
	var buf bytes.Buffer
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	p := &progress{out: &buf, logger: slog.New(slog.NewJSONHandler(&buf, nil)), width: func() int { return 80 }, now: clock.now, lastLog: clock.t}
	for i := int64(0); i <= 110; i++ {
		p.update(importer.Progress{Counts: counts(i*2, 0), Pos: i * 100, Size: 30000, Rate: 40})
		clock.t = clock.t.Add(100 * time.Millisecond)
	}
	out := buf.String()
	for _, want := range []string{`"percent":33.3`, `"rows_per_second":20`, `"allowed_rate":40`, `"eta_seconds":`} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %s", out, want)
		}
	}
	if strings.Contains(out, "\r") {
		t.Errorf("log mode drew a live line: %q", out)
	}
}
