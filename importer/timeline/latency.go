package timeline

import (
	"math"
	"time"
)

// Histogram is a fixed-memory latency histogram: bin i counts latencies up
// to binUpper(i), log-spaced by a factor of 2^(1/4) (at most 19% error) from
// half a millisecond to about 28 s; longer latencies land in the last bin.
// It encodes as a sparse JSON object from bin index to count.
type Histogram map[int]int64

// histBins is the number of bins; the last is open-ended.
const histBins = 64

// binOf returns the bin of latency d.
func binOf(d time.Duration) int {
	ms := float64(d) / float64(time.Millisecond)
	if ms <= 0.5 {
		return 0
	}
	i := int(math.Ceil(4 * math.Log2(ms/0.5)))
	return min(max(i, 0), histBins-1)
}

// binUpper returns the upper bound of bin i in milliseconds.
func binUpper(i int) float64 {
	return 0.5 * math.Exp2(float64(i)/4)
}

// Latency summarises the answer latencies of a bucket, in milliseconds.
// P50 and P99 are bin upper bounds of the histogram, capped at Max.
type Latency struct {
	Count int64     `json:"n"`
	P50   float64   `json:"p50_ms"`
	P99   float64   `json:"p99_ms"`
	Max   float64   `json:"max_ms"`
	Hist  Histogram `json:"hist,omitempty"`
}

// observe adds one latency.
func (l *Latency) observe(d time.Duration) {
	if l.Hist == nil {
		l.Hist = Histogram{}
	}
	l.Hist[binOf(d)]++
	l.Count++
	l.Max = max(l.Max, float64(d)/float64(time.Millisecond))
}

// Merge adds o's latencies to l (copying, never sharing, o's histogram)
// and refreshes the quantiles.
func (l *Latency) Merge(o Latency) {
	if o.Count == 0 {
		return
	}
	if l.Hist == nil {
		l.Hist = Histogram{}
	}
	for i, n := range o.Hist {
		l.Hist[i] += n
	}
	l.Count += o.Count
	l.Max = max(l.Max, o.Max)
	l.summarise()
}

// summarise computes P50 and P99 from the histogram.
func (l *Latency) summarise() {
	l.P50, l.P99 = l.Quantile(0.50), l.Quantile(0.99)
}

// Quantile returns the upper bound (ms) of the bin holding quantile q of
// the latencies (rounded to 0.01 ms), capped at Max; 0 when there are none.
func (l *Latency) Quantile(q float64) float64 {
	if l.Count == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(l.Count)))
	var seen int64
	for i := range histBins {
		seen += l.Hist[i]
		if seen >= max(rank, 1) && i < histBins-1 {
			return math.Min(math.Round(binUpper(i)*100)/100, l.Max)
		}
	}
	return l.Max
}
