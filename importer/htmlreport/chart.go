package htmlreport

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/timeline"
)

// MaxPoints bounds the bins of a chart.
const MaxPoints = 600

// Chart geometry, in SVG user units.
const (
	chartW, chartH   = 1000.0, 260.0
	plotL, plotR     = 58.0, 985.0
	plotT, plotB     = 24.0, 222.0
	gapW             = 10.0 // width of the break between two runs
	minLabelDistance = 95.0
)

// bin is one drawn bucket with its geometry.
type bin struct {
	B       timeline.Bucket
	X, W    float64
	Created float64 // rows created per second
	Sent    float64 // requests admitted (sent) per second, of the busiest action: the quota is per action
	Settled int64   // rows settled from the first bin to the end of this one
	Refused float64 // refusals per second
	Retries float64 // retries per second
	NewRun  bool    // first bin after a gap
	// Bar geometry: requests sent (CY, CH), refusals (FY, FH) and retries
	// stacked on them (TY, TH).
	CY, CH, FY, FH, TY, TH float64
	SentN                  int64 // requests sent of the busiest action
	Tip                    string
}

// bins merges the timeline into at most MaxPoints bins (copies: d is not
// modified) and lays them out on the x axis.
func bins(buckets []timeline.Bucket) []bin {
	s := timeline.NewSeries(MaxPoints)
	for _, b := range buckets {
		s.Add(b.Clone())
	}
	merged := s.Buckets()
	out := make([]bin, len(merged))
	var seconds, gaps float64
	for i, b := range merged {
		seconds += float64(b.Seconds())
		if i > 0 && !merged[i-1].End().Equal(b.Time) {
			gaps++
		}
	}
	scale := (plotR - plotL - gaps*gapW) / math.Max(seconds, 1)
	x := plotL
	var settled int64
	for i, b := range merged {
		if i > 0 && !merged[i-1].End().Equal(b.Time) {
			x += gapW
			out[i].NewRun = true
		}
		secs := float64(b.Seconds())
		for _, n := range b.Settled {
			settled += n
		}
		sent := busiest(b.Sent)
		out[i] = bin{B: b, X: x, W: secs * scale, NewRun: out[i].NewRun,
			Created: float64(b.Settled["created"]) / secs, Sent: float64(sent) / secs, SentN: sent, Settled: settled,
			Refused: float64(b.Refused) / secs, Retries: float64(b.Retries) / secs}
		x += secs * scale
	}
	return out
}

// busiest is the largest count of sends of one action.
func busiest(sent map[string]int64) int64 {
	var n int64
	for _, v := range sent {
		n = max(n, v)
	}
	return n
}

// cumulativePath draws the rows settled so far as a line on a, rising
// through each bin, broken at run gaps (the count carries over).
func cumulativePath(bs []bin, a axis) string {
	var sb strings.Builder
	var before int64
	for i, b := range bs {
		if i == 0 || b.NewRun {
			fmt.Fprintf(&sb, "M%.1f %.1f", b.X, a.Y(float64(before)))
		}
		fmt.Fprintf(&sb, "L%.1f %.1f", b.X+b.W, a.Y(float64(b.Settled)))
		before = b.Settled
	}
	return sb.String()
}

// axis maps values 0..Max onto the plot's height, with tick values.
type axis struct {
	Max   float64
	Ticks []float64
}

// newAxis returns an axis whose top is a 1-2-5 step above hi.
func newAxis(hi float64) axis {
	if hi <= 0 {
		hi = 1
	}
	raw := hi / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	a := axis{Max: math.Ceil(hi*1.02/step) * step}
	for v := 0.0; v <= a.Max+step/2; v += step {
		a.Ticks = append(a.Ticks, v)
	}
	return a
}

// Y returns the SVG y of value v.
func (a axis) Y(v float64) float64 { return plotB - (plotB-plotT)*math.Min(v, a.Max)/a.Max }

// xLabel is a time label under the x axis.
type xLabel struct {
	X      float64
	Text   string
	Anchor string // SVG text-anchor: start or end
}

// labelWidth estimates the width of a label of n characters at 11px.
func labelWidth(n int) float64 { return 6.3 * float64(n) }

// xLabels labels the start of every run and then about every 150 units,
// skipping labels that would overlap; a run's start wins over the plain
// label before it.
func xLabels(bs []bin) []xLabel {
	if len(bs) == 0 {
		return nil
	}
	withDate := !sameDay(bs[0].B.Time, bs[len(bs)-1].B.End())
	var out []xLabel
	var forced []bool
	for i, b := range bs {
		start := i == 0 || b.NewRun
		if !start && (len(out) == 0 || b.X-out[len(out)-1].X < 150) {
			continue
		}
		if n := len(out); n > 0 && b.X-out[n-1].X < minLabelDistance {
			if !start || forced[n-1] {
				continue
			}
			out, forced = out[:n-1], forced[:n-1]
		}
		l := xLabel{X: b.X, Text: clock(b.B.Time, withDate), Anchor: "start"}
		if l.X+labelWidth(len(l.Text)) > chartW-2 {
			if !start {
				continue
			}
			l.Anchor = "end"
		}
		out = append(out, l)
		forced = append(forced, start)
	}
	return out
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// stepPath draws v(bin) as a step line, broken at run gaps.
func stepPath(bs []bin, a axis, v func(bin) float64) string {
	return stepPathIf(bs, a, v, func(bin) bool { return true })
}

// stepPathIf is stepPath over the bins where ok holds, broken elsewhere.
func stepPathIf(bs []bin, a axis, v func(bin) float64, ok func(bin) bool) string {
	var sb strings.Builder
	for i, b := range bs {
		if !ok(b) {
			continue
		}
		y := a.Y(v(b))
		if i == 0 || b.NewRun || !ok(bs[i-1]) {
			fmt.Fprintf(&sb, "M%.1f %.1f", b.X, y)
		} else {
			fmt.Fprintf(&sb, "V%.1f", y)
		}
		fmt.Fprintf(&sb, "H%.1f", b.X+b.W)
	}
	return sb.String()
}
