package main

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// rateWindow is the time constant of the smoothed rates: a burst or a
// stall of a few seconds moves the rate and the time left by a fraction.
const rateWindow = 10 * time.Second

// meter smooths the rows settled per second and the input bytes checkpointed
// per second (for the time left) with exponential moving averages.
type meter struct {
	at          time.Time // last sample
	settled     int64
	pos         int64
	rows, bytes float64 // smoothed per-second rates
	started     bool
	warm        bool // a full sample interval has been measured
}

// sample folds pr into the rates once sampleEvery has passed.
func (m *meter) sample(now time.Time, pr importer.Progress) {
	settled := pr.Counts.Settled()
	if !m.started {
		m.at, m.settled, m.pos, m.started = now, settled, pr.Pos, true
		return
	}
	dt := now.Sub(m.at)
	if dt < sampleEvery {
		return
	}
	rows := float64(settled-m.settled) / dt.Seconds()
	bytes := float64(max(0, pr.Pos-m.pos)) / dt.Seconds()
	if !m.warm {
		m.rows, m.bytes, m.warm = rows, bytes, true
	} else {
		a := 1 - math.Exp(-dt.Seconds()/rateWindow.Seconds())
		m.rows += a * (rows - m.rows)
		m.bytes += a * (bytes - m.bytes)
	}
	m.at, m.settled, m.pos = now, settled, pr.Pos
}

// left is the time to the end of the input at the smoothed byte rate.
func (m *meter) left(pr importer.Progress) (time.Duration, bool) {
	if _, ok := percent(pr); !ok || !m.warm || m.bytes <= 0 {
		return 0, false
	}
	return time.Duration(float64(pr.Size-pr.Pos) / m.bytes * float64(time.Second)), true
}

// progressLine is the live line for a terminal of width columns. It never
// reaches the last column (a terminal would wrap there): parts are dropped
// in order (bar, then counts cut short) until it fits.
func progressLine(pr importer.Progress, m *meter, width int) string {
	budget := max(width-1, 10)
	head := "retry pass " + fmt.Sprint(pr.Pass)
	if pct, ok := percent(pr); ok {
		head = fmt.Sprintf("%3.0f%% of input", math.Floor(pct))
	} else if pr.Pass == 0 {
		head = "reading"
	}
	tail := rateText(pr, m)
	counts := shortCounts(pr.Counts)
	fixed := runes(head) + runes(counts) + runes(tail) + 6 // two " │ " joins
	if barW := min(30, budget-fixed-1); barW >= 10 && strings.HasSuffix(head, "of input") {
		pct, _ := percent(pr)
		head += " " + bar(pct, barW)
	}
	line := head + " │ " + counts + " │ " + tail
	if runes(line) > budget {
		line = head + " │ " + tail
		room := budget - runes(line) - 3
		if room > 8 {
			line = head + " │ " + cut(counts, room) + " │ " + tail
		}
	}
	return cut(line, budget)
}

// rateText is "18.4 rows/s, 1m20s left" (the measured rate, not the cap).
func rateText(pr importer.Progress, m *meter) string {
	if !m.warm {
		return "measuring rate…"
	}
	s := fmt.Sprintf("%.1f rows/s", m.rows)
	if left, ok := m.left(pr); ok {
		s += ", " + roughDuration(left) + " left"
	}
	return s
}

// shortCounts lists the outcomes with a count, "created 61 · rejected 3".
func shortCounts(c outcome.Counts) string {
	var parts []string
	for _, o := range outcome.All {
		if n := c.Of(o); n > 0 || o.Name == outcome.Created.Name {
			parts = append(parts, fmt.Sprintf("%s %d", o.Name, n))
		}
	}
	return strings.Join(parts, " · ")
}

// bar is a fixed-width bar of width cells, pct filled.
func bar(pct float64, width int) string {
	full := int(math.Round(pct / 100 * float64(width-2)))
	full = min(max(full, 0), width-2)
	return "[" + strings.Repeat("█", full) + strings.Repeat("·", width-2-full) + "]"
}

// roughDuration rounds d for reading at a glance: 5 s steps under a
// minute, whole minutes under an hour, then hours and minutes.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(math.Ceil(d.Seconds()/5)*5))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(math.Round(d.Minutes())))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// cut shortens s to n runes, ending with "…" when it cut.
func cut(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:max(n-1, 0)]) + "…"
}
