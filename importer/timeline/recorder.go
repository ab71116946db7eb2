package timeline

import (
	"sync"
	"time"
)

// Options tunes a Recorder. The zero value is the production setting.
type Options struct {
	// Now is the clock; nil means time.Now. Tests pass a fake one.
	Now func() time.Time
	// FlushEvery is the period of the background flush; 0 means 1 s and a
	// negative value starts no background flush (the caller calls Flush).
	FlushEvery time.Duration
}

// Recorder counts a run's events into per-second buckets and appends the
// finished ones to its file. All methods are safe for concurrent use, and
// on a nil *Recorder they do nothing. Write errors cannot reach the hot
// path: the first one stops the writing and is returned by Flush and
// Close.
type Recorder struct {
	mu     sync.Mutex
	now    func() time.Time
	cur    Bucket  // the second being counted
	idle   *Bucket // finished idle seconds not yet written
	rate   float64 // the allowed rate in force
	out    sink
	err    error // first write error; sticky
	closed bool
	done   chan struct{}
	stop   sync.Once
	wg     sync.WaitGroup
}

// Sent records one request sent for action.
func (r *Recorder) Sent(action string) {
	r.with(func(b *Bucket) { b.Sent = inc(b.Sent, action, 1) })
}

// Answered records one answer to an action request: code is the error
// code, or CodeOK for success; latency is from send to answer.
func (r *Recorder) Answered(action, code string, latency time.Duration) {
	r.with(func(b *Bucket) {
		if b.Answers == nil {
			b.Answers = map[string]map[string]int64{}
		}
		b.Answers[action] = inc(b.Answers[action], code, 1)
		b.Latency.observe(latency)
	})
}

// Refused records one rate-limit refusal (an answer also recorded with
// Answered under its code).
func (r *Recorder) Refused() { r.with(func(b *Bucket) { b.Refused++ }) }

// Retried records one request scheduled again after a retryable answer.
func (r *Recorder) Retried() { r.with(func(b *Bucket) { b.Retries++ }) }

// Settled records n rows settled with outcome.
func (r *Recorder) Settled(outcome string, n int) {
	r.with(func(b *Bucket) { b.Settled = inc(b.Settled, outcome, int64(n)) })
}

// SetRate records the allowed request rate (requests/s) now in force; it
// stays in force for later buckets until set again.
func (r *Recorder) SetRate(perSecond float64) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.rollLocked(r.now())
	r.rate = perSecond
	r.cur.Rate = perSecond
}

// with applies f to the bucket of the current second.
func (r *Recorder) with(f func(*Bucket)) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.rollLocked(r.now())
	f(&r.cur)
}

// inc adds n to m[k], allocating m when nil.
func inc(m map[string]int64, k string, n int64) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[k] += n
	return m
}

// second truncates t to its second, in UTC.
func second(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
