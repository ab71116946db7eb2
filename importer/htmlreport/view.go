package htmlreport

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/timeline"
)

// view is what the template renders: Data digested into display values.
type view struct {
	Title, StateDir, Generated string
	Cards                      []card
	Quota                      float64
	Bins                       []bin
	Throughput, Trouble        chartView
	CumPath                    string // rows settled so far, on CumAxis
	CumAxis                    axis
	CumTotal                   string
	Next                       []nextStep
	Latency                    chartView
	P50Path, P99Path           string
	Labels                     []xLabel
	Answers                    []answerRow
	Codes                      []codeRow
	PeriodLen                  string
	Lowest, Slowest            []period
	Runs                       []runRow
	RunOutcomes                []string
	Reports                    []reportRow
	Covered                    string
	HasGaps                    bool
	BinSeconds                 int // the longest bin, in seconds
}

type card struct {
	Key, Class, Label, Value, Share string
	N                               int64
}

// chartView is one chart's axis and lines.
type chartView struct {
	Axis      axis
	QuotaY    float64
	RatePath  string
	HasQuota  bool
	YLabel    string
	TickLines []tick
}

type tick struct {
	Y    float64
	Text string
}

// nextStep is one thing to do after reading the report, with its command.
type nextStep struct{ What, Command string }

type answerRow struct {
	Action, Code string
	N            int64
}

type codeRow struct {
	Outcome, Code, Rows, Share string
	N                          int64
}

type runRow struct {
	N                                 int
	Started, Ended, Duration, Command string
	Outcome                           string
	ExitCode                          int
	Counts                            []string
}

type reportRow struct {
	Name, Href, Rows string
	N                int64
}

// newView digests d.
func newView(d Data) view {
	d.Timeline = slices.Clone(d.Timeline)
	slices.SortStableFunc(d.Timeline, func(a, b timeline.Bucket) int { return a.Time.Compare(b.Time) })
	v := view{Title: cmp.Or(d.Title, "ciam-import report"), StateDir: d.StateDir, Generated: stamp(d.Generated), Quota: d.Quota}
	v.Cards = cards(d)
	v.Bins = bins(d.Timeline)
	v.Throughput, v.Trouble = throughputChart(v.Bins, d.Quota), troubleChart(v.Bins)
	layBars(v.Bins, v.Throughput.Axis, v.Trouble.Axis)
	if n := len(v.Bins); n > 0 {
		v.CumAxis = axis{Max: float64(max(v.Bins[n-1].Settled, 1))} // its total at the top of the plot
		v.CumPath, v.CumTotal = cumulativePath(v.Bins, v.CumAxis), num(v.Bins[n-1].Settled)
	}
	v.Next = nextSteps(d)
	v.Latency, v.P50Path, v.P99Path = latencyChart(v.Bins)
	v.Labels = xLabels(v.Bins)
	v.Answers = answers(d.Timeline)
	v.Codes = codes(d.Codes, d.RowsRead)
	l := periodLength(d.Timeline)
	v.PeriodLen = map[bool]string{true: "minute", false: "second"}[l == time.Minute]
	ps := periods(d.Timeline, l)
	v.Lowest, v.Slowest = lowestThroughput(ps), highestLatency(ps)
	v.Runs, v.RunOutcomes = runs(d.Runs)
	v.Reports = reports(d.Reports)
	var secs int64
	for _, b := range d.Timeline {
		secs += int64(b.Seconds())
	}
	v.Covered = span(time.Duration(secs) * time.Second)
	for _, b := range v.Bins {
		v.HasGaps = v.HasGaps || b.NewRun
		if !b.B.Idle() {
			v.BinSeconds = max(v.BinSeconds, b.B.Seconds())
		}
	}
	return v
}

func cards(d Data) []card {
	out := []card{{Key: "read", Class: "read", Label: "rows read", N: d.RowsRead, Value: num(d.RowsRead)}}
	for _, o := range outcomes(d.Totals) {
		n := d.Totals[o]
		out = append(out, card{Key: o, Class: outcomeClass(o), Label: o, N: n, Value: num(n), Share: pct(n, d.RowsRead)})
	}
	if d.InDoubt > 0 {
		out = append(out, card{Key: "in-doubt", Class: "in-doubt", Label: "in doubt", N: d.InDoubt, Value: num(d.InDoubt)})
	}
	return out
}

func throughputChart(bs []bin, quota float64) chartView {
	hi := quota
	for _, b := range bs {
		hi = max(hi, b.Sent, b.B.Rate)
	}
	c := chartView{Axis: newAxis(hi), HasQuota: quota > 0, YLabel: "requests/s"}
	c.QuotaY = c.Axis.Y(quota)
	c.RatePath = stepPath(bs, c.Axis, func(b bin) float64 { return b.B.Rate })
	c.TickLines = ticks(c.Axis)
	return c
}

func troubleChart(bs []bin) chartView {
	var hi float64
	for _, b := range bs {
		hi = max(hi, b.Refused+b.Retries)
	}
	c := chartView{Axis: newAxis(hi), YLabel: "per second"}
	c.TickLines = ticks(c.Axis)
	return c
}

// ticks labels the axis' ticks with as many decimals as the step needs.
// latencyChart draws p50 and p99 latency (ms), broken where no answer came.
func latencyChart(bs []bin) (chartView, string, string) {
	var hi float64
	for _, b := range bs {
		hi = max(hi, b.B.Latency.P99)
	}
	c := chartView{Axis: newAxis(hi), YLabel: "ms"}
	c.TickLines = ticks(c.Axis)
	answered := func(b bin) bool { return b.B.Latency.Count > 0 }
	p50 := stepPathIf(bs, c.Axis, func(b bin) float64 { return b.B.Latency.P50 }, answered)
	p99 := stepPathIf(bs, c.Axis, func(b bin) float64 { return b.B.Latency.P99 }, answered)
	return c, p50, p99
}

func ticks(a axis) []tick {
	out := make([]tick, len(a.Ticks))
	digits := 0
	if len(a.Ticks) > 1 {
		step := a.Ticks[1] - a.Ticks[0]
		for digits < 6 && math.Abs(step*math.Pow10(digits)-math.Round(step*math.Pow10(digits))) > 1e-6 {
			digits++
		}
	}
	for i, v := range a.Ticks {
		out[i] = tick{Y: a.Y(v), Text: strconv.FormatFloat(v, 'f', digits, 64)}
	}
	return out
}

// answers totals the timeline's answers by action and code, most first.
func answers(bs []timeline.Bucket) []answerRow {
	m := map[[2]string]int64{}
	for _, b := range bs {
		for action, byCode := range b.Answers {
			for code, n := range byCode {
				m[[2]string{action, code}] += n
			}
		}
	}
	out := make([]answerRow, 0, len(m))
	for k, n := range m {
		out = append(out, answerRow{Action: k[0], Code: k[1], N: n})
	}
	slices.SortFunc(out, func(a, b answerRow) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Action, b.Action), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// codes sorts the code counts, most rows first; the share is of the rows
// read, as on the totals' cards.
func codes(cs []CodeCount, read int64) []codeRow {
	s := slices.Clone(cs)
	slices.SortStableFunc(s, func(a, b CodeCount) int {
		return cmp.Or(cmp.Compare(b.Rows, a.Rows), cmp.Compare(a.Outcome, b.Outcome), cmp.Compare(a.Code, b.Code))
	})
	out := make([]codeRow, len(s))
	for i, c := range s {
		out[i] = codeRow{Outcome: c.Outcome, Code: cmp.Or(c.Code, "—"), N: c.Rows, Rows: num(c.Rows), Share: pct(c.Rows, read)}
	}
	return out
}

func runs(rs []Run) ([]runRow, []string) {
	maps := make([]map[string]int64, len(rs))
	for i, r := range rs {
		maps[i] = r.Counts
	}
	cols := outcomes(maps...)
	out := make([]runRow, len(rs))
	for i, r := range rs {
		row := runRow{N: i + 1, Started: stamp(r.Started), Ended: stamp(r.Ended), Command: r.Command, Outcome: outcomeWords(r.Outcome), ExitCode: r.ExitCode}
		if !r.Started.IsZero() && !r.Ended.IsZero() {
			row.Duration = span(r.Ended.Sub(r.Started))
		}
		for _, c := range cols {
			row.Counts = append(row.Counts, num(r.Counts[c]))
		}
		out[i] = row
	}
	return out, cols
}

func reports(fs []ReportFile) []reportRow {
	out := make([]reportRow, len(fs))
	for i, f := range fs {
		out[i] = reportRow{Name: f.Name, Href: relativeHref(f.Name), N: f.Rows, Rows: num(f.Rows)}
	}
	return out
}

// relativeHref returns the escaped relative URL of a report file, or ""
// when name is absolute, climbs with "..", or is empty.
func relativeHref(name string) string {
	n := strings.ReplaceAll(name, "\\", "/")
	if n == "" || path.IsAbs(n) || slices.Contains(strings.Split(n, "/"), "..") {
		return ""
	}
	u := url.URL{Path: n}
	return u.String()
}

// outcomeClass is the CSS class of an outcome: its name when known.
func outcomeClass(o string) string {
	if slices.Contains(outcomeOrder, o) {
		return o
	}
	return "other"
}

// layBars sets the bars' geometry and tooltips on the two axes.
func layBars(bs []bin, thr, trb axis) {
	for i := range bs {
		b := &bs[i]
		b.CY = thr.Y(b.Sent)
		b.CH = plotB - b.CY
		b.FY = trb.Y(b.Refused)
		b.FH = plotB - b.FY
		b.TY = trb.Y(b.Refused + b.Retries)
		b.TH = b.FY - b.TY
		b.Tip = tooltip(b.B)
	}
}

// tooltip describes one bin.
func tooltip(b timeline.Bucket) string {
	var answered int64
	for _, byCode := range b.Answers {
		for _, n := range byCode {
			answered += n
		}
	}
	s := fmt.Sprintf("%s UTC, %s: %s requests sent (%s/s), allowed %s/s, %s answers, %s refused, %s retries, %s rows created",
		stamp(b.Time), span(time.Duration(b.Seconds())*time.Second), num(busiest(b.Sent)),
		dec(float64(busiest(b.Sent))/float64(b.Seconds())), dec(b.Rate), num(answered), num(b.Refused), num(b.Retries), num(b.Settled["created"]))
	if b.Latency.Count > 0 {
		s += fmt.Sprintf(", p50 %s ms, p99 %s ms", dec(b.Latency.P50), dec(b.Latency.P99))
	}
	return s
}
