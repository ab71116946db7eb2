package timeline

import "time"

// CodeOK is the code under which Answers counts successful answers.
const CodeOK = "ok"

// Bucket is what a run did in Span seconds from Time (one line of a
// timeline file). Counts are of events in the bucket, not running totals.
type Bucket struct {
	// Time is the start of the bucket's first second, UTC.
	Time time.Time `json:"t"`
	// Span is the number of seconds covered; 0 reads as 1.
	Span int `json:"span,omitempty"`
	// Sent counts requests sent, by action.
	Sent map[string]int64 `json:"sent,omitempty"`
	// Answers counts answers by action, then by error code (CodeOK for
	// success).
	Answers map[string]map[string]int64 `json:"answers,omitempty"`
	// Refused counts rate-limit refusals (also counted in Answers under
	// their code).
	Refused int64 `json:"refused,omitempty"`
	// Retries counts requests scheduled again after a retryable answer.
	Retries int64 `json:"retries,omitempty"`
	// Settled counts rows settled, by outcome (created, updated, conflict,
	// rejected, retryable, skipped, ...).
	Settled map[string]int64 `json:"settled,omitempty"`
	// Rate is the allowed request rate (requests/s) in force at the end of
	// the bucket; 0 when never set.
	Rate float64 `json:"rate,omitempty"`
	// Latency summarises the latencies of the bucket's answers.
	Latency Latency `json:"lat,omitzero"`
}

// Seconds returns the number of seconds the bucket covers (at least 1).
func (b Bucket) Seconds() int { return max(b.Span, 1) }

// End returns the end of the bucket's last second.
func (b Bucket) End() time.Time { return b.Time.Add(time.Duration(b.Seconds()) * time.Second) }

// Idle reports whether nothing happened in the bucket.
func (b Bucket) Idle() bool {
	return len(b.Sent) == 0 && len(b.Answers) == 0 && len(b.Settled) == 0 &&
		b.Refused == 0 && b.Retries == 0 && b.Latency.Count == 0
}

// AnswerCount returns the number of answers with code, over all actions.
func (b Bucket) AnswerCount(code string) int64 {
	var n int64
	for _, byCode := range b.Answers {
		n += byCode[code]
	}
	return n
}

// Merge adds o's counts to b, extends b's span to cover o and takes o's
// rate when o is the later bucket. o must not start before b.
func (b *Bucket) Merge(o Bucket) {
	if end := o.End(); end.After(b.End()) {
		b.Span = int(end.Sub(b.Time) / time.Second)
	}
	b.Sent = addCounts(b.Sent, o.Sent)
	b.Settled = addCounts(b.Settled, o.Settled)
	for action, byCode := range o.Answers {
		if b.Answers == nil {
			b.Answers = map[string]map[string]int64{}
		}
		b.Answers[action] = addCounts(b.Answers[action], byCode)
	}
	b.Refused += o.Refused
	b.Retries += o.Retries
	if o.Rate != 0 {
		b.Rate = o.Rate
	}
	b.Latency.Merge(o.Latency)
}

// addCounts adds src into dst (allocated when nil and src is not empty).
func addCounts(dst, src map[string]int64) map[string]int64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]int64, len(src))
	}
	for k, n := range src {
		dst[k] += n
	}
	return dst
}

// Clone returns a deep copy of b, for callers that merge buckets they do
// not own.
func (b Bucket) Clone() Bucket {
	c := b
	c.Sent, c.Settled = addCounts(nil, b.Sent), addCounts(nil, b.Settled)
	c.Answers = nil
	for action, byCode := range b.Answers {
		if c.Answers == nil {
			c.Answers = make(map[string]map[string]int64, len(b.Answers))
		}
		c.Answers[action] = addCounts(nil, byCode)
	}
	c.Latency.Hist = nil
	for i, n := range b.Latency.Hist {
		if c.Latency.Hist == nil {
			c.Latency.Hist = make(Histogram, len(b.Latency.Hist))
		}
		c.Latency.Hist[i] = n
	}
	return c
}
