package timeline

import (
	"time"
)

// rollLocked finishes the current bucket when now is in a later second and
// queues it for writing: a busy bucket as it is, idle seconds folded into
// one idle bucket. r.mu is held.
func (r *Recorder) rollLocked(now time.Time) {
	s := second(now)
	if !s.After(r.cur.Time) {
		return
	}
	r.cur.Latency.summarise()
	r.finishLocked(r.cur)
	if gap := int(s.Sub(r.cur.Time)/time.Second) - 1; gap > 0 {
		r.finishLocked(Bucket{Time: r.cur.Time.Add(time.Second), Span: gap, Rate: r.rate})
	}
	r.cur = Bucket{Time: s, Rate: r.rate}
}

// finishLocked queues a finished bucket. r.mu is held.
func (r *Recorder) finishLocked(b Bucket) {
	if !b.Idle() {
		r.writeIdleLocked()
		r.writeLocked(b)
		return
	}
	if r.idle != nil && r.idle.Rate == b.Rate {
		r.idle.Merge(b)
		return
	}
	r.writeIdleLocked()
	r.idle = &b
}

// writeIdleLocked writes the pending idle bucket, if any. r.mu is held.
func (r *Recorder) writeIdleLocked() {
	if r.idle != nil {
		r.writeLocked(*r.idle)
		r.idle = nil
	}
}

// writeLocked buffers one bucket line, keeping the first error. r.mu is
// held.
func (r *Recorder) writeLocked(b Bucket) {
	if r.err == nil {
		r.err = r.out.add(b)
	}
}

// Flush finishes every bucket before the current second and writes the
// busy ones to the file (idle seconds are written when they end, or at
// Close). It returns the first write error of the recorder.
func (r *Recorder) Flush() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.err
	}
	return r.flushLocked(r.now())
}

// flushLocked rolls to now and hands the buffered lines to the file.
func (r *Recorder) flushLocked(now time.Time) error {
	r.rollLocked(now)
	if r.err == nil {
		r.err = r.out.flush()
	}
	return r.err
}

// Close stops the background flush, writes every bucket up to and
// including the current second, fsyncs and closes the file. It returns the
// first error the recorder met. Events recorded after Close are dropped.
func (r *Recorder) Close() error {
	if r == nil {
		return nil
	}
	r.stop.Do(func() { close(r.done) })
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.err
	}
	r.flushLocked(r.now())
	cur := r.cur
	cur.Latency.summarise()
	if !cur.Idle() {
		r.finishLocked(cur)
	}
	r.writeIdleLocked()
	r.closed = true
	if err := r.out.close(); r.err == nil {
		r.err = err
	}
	return r.err
}

// loop flushes every period until Close.
func (r *Recorder) loop(every time.Duration) {
	defer r.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-r.done:
			return
		case <-t.C:
			_ = r.Flush()
		}
	}
}
