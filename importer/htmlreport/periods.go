package htmlreport

import (
	"cmp"
	"slices"
	"time"

	"github.com/ciam-import/ciam-import/importer/timeline"
)

// slowestCount is the number of periods each slowest-periods table lists.
const slowestCount = 5

// period is one second or minute of the timeline.
type period struct {
	Start   time.Time
	Len     time.Duration // the period's length
	Covered int64         // seconds of it the timeline covers
	Created int64
	Answers int64
	Refused int64
	Retries int64
	Latency timeline.Latency
}

// CreatedPerSecond is the period's created rows per covered second.
func (p period) CreatedPerSecond() float64 {
	return float64(p.Created) / float64(max(p.Covered, 1))
}

// periodLength is a minute for timelines over ten minutes, else a second.
func periodLength(buckets []timeline.Bucket) time.Duration {
	var secs int
	for _, b := range buckets {
		secs += b.Seconds()
	}
	if secs > 600 {
		return time.Minute
	}
	return time.Second
}

// periods folds the timeline into aligned periods of length l, oldest
// first. A busy bucket counts in the period it starts in; an idle bucket
// spreads its seconds over the periods it covers.
func periods(buckets []timeline.Bucket, l time.Duration) []period {
	var out []period
	at := func(t time.Time) *period {
		start := t.UTC().Truncate(l)
		if n := len(out); n > 0 && out[n-1].Start.Equal(start) {
			return &out[n-1]
		}
		out = append(out, period{Start: start, Len: l})
		return &out[len(out)-1]
	}
	for _, b := range buckets {
		if !b.Idle() {
			addBucket(at(b.Time), b)
			continue
		}
		for t := b.Time; t.Before(b.End()); {
			p := at(t)
			next := minTime(p.Start.Add(l), b.End())
			p.Covered += int64(next.Sub(t) / time.Second)
			t = next
		}
	}
	return out
}

func addBucket(p *period, b timeline.Bucket) {
	p.Covered += int64(b.Seconds())
	p.Created += b.Settled["created"]
	for _, byCode := range b.Answers {
		for _, n := range byCode {
			p.Answers += n
		}
	}
	p.Refused += b.Refused
	p.Retries += b.Retries
	p.Latency.Merge(b.Latency)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// lowestThroughput returns the periods with the fewest created rows per
// second, slowest first (earlier first on ties).
func lowestThroughput(ps []period) []period {
	s := slices.Clone(ps)
	slices.SortStableFunc(s, func(a, b period) int { return cmp.Compare(a.CreatedPerSecond(), b.CreatedPerSecond()) })
	return s[:min(len(s), slowestCount)]
}

// highestLatency returns the periods with answers and the highest p99
// latency, highest first.
func highestLatency(ps []period) []period {
	var s []period
	for _, p := range ps {
		if p.Latency.Count > 0 {
			s = append(s, p)
		}
	}
	slices.SortStableFunc(s, func(a, b period) int { return cmp.Compare(b.Latency.P99, a.Latency.P99) })
	return s[:min(len(s), slowestCount)]
}
