package timeline

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestRecorderBuckets(t *testing.T) {
	r, c, path := openTest(t)
	t0 := second(c.Now())
	r.SetRate(20)
	r.Sent("CreateUser")
	r.Sent("CreateUser")
	r.Answered("CreateUser", CodeOK, 40*time.Millisecond)
	r.Answered("CreateUser", "RequestLimitExceeded", 10*time.Millisecond)
	r.Refused()
	r.Retried()
	r.Settled("created", 1)
	c.Add(time.Second)
	r.Sent("ListUser")
	r.Answered("ListUser", CodeOK, 2*time.Second)
	r.Settled("skipped", 3)
	c.Add(4 * time.Second) // 3 idle seconds, then one more busy one
	r.SetRate(10)
	r.Settled("conflict", 1)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, path)
	if len(got) != 4 {
		t.Fatalf("got %d buckets, want 4: %+v", len(got), got)
	}
	first := got[0]
	if !first.Time.Equal(t0) || first.Seconds() != 1 || first.Sent["CreateUser"] != 2 ||
		first.Answers["CreateUser"][CodeOK] != 1 || first.Answers["CreateUser"]["RequestLimitExceeded"] != 1 ||
		first.Refused != 1 || first.Retries != 1 || first.Settled["created"] != 1 || first.Rate != 20 {
		t.Errorf("first bucket = %+v", first)
	}
	if first.Latency.Count != 2 || first.Latency.Max != 40 || first.Latency.P99 != 40 || first.Latency.P50 < 10 || first.Latency.P50 > 12 {
		t.Errorf("first latency = %+v", first.Latency)
	}
	if b := got[1]; !b.Time.Equal(t0.Add(time.Second)) || b.Settled["skipped"] != 3 || b.Rate != 20 || b.Latency.Max != 2000 {
		t.Errorf("second bucket = %+v", b)
	}
	if b := got[2]; !b.Idle() || b.Seconds() != 3 || !b.Time.Equal(t0.Add(2*time.Second)) || b.Rate != 20 {
		t.Errorf("idle bucket = %+v", b)
	}
	if b := got[3]; !b.Time.Equal(t0.Add(5*time.Second)) || b.Settled["conflict"] != 1 || b.Rate != 10 {
		t.Errorf("last bucket = %+v", b)
	}
	for i := 1; i < len(got); i++ {
		if !got[i-1].End().Equal(got[i].Time) {
			t.Errorf("bucket %d does not start where %d ends", i, i-1)
		}
	}
}

func TestFlushWritesOnlyFinishedSeconds(t *testing.T) {
	r, c, path := openTest(t)
	r.Sent("CreateUser")
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, path); len(got) != 0 {
		t.Fatalf("current second written early: %+v", got)
	}
	c.Add(time.Second)
	r.Sent("CreateUser")
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, path); len(got) != 1 || got[0].Sent["CreateUser"] != 1 {
		t.Fatalf("after flush: %+v", got)
	}
}

func TestBackgroundFlush(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "tl.jsonl")
	r, err := Open(path, Options{Now: c.Now, FlushEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Settled("created", 7)
	c.Add(time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if bs, err := ReadFile(path, 0); err == nil && len(bs) == 1 && bs[0].Settled["created"] == 7 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("background flush did not write the finished second within 5s")
		}
		time.Sleep(2 * time.Millisecond) // polling the event, bounded by the deadline
	}
}

func TestOpenRefusesExistingAndSymlink(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.jsonl")
	if err := os.WriteFile(existing, []byte("keep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(filepath.Join(dir, "target"), link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{existing, link} {
		if r, err := Open(p, Options{FlushEvery: -1}); err == nil {
			_ = r.Close()
			t.Errorf("Open(%s) succeeded", p)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "target")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("symlink target created: %v", err)
	}
	r, err := Open(filepath.Join(dir, "new.jsonl"), Options{FlushEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fi, err := os.Stat(filepath.Join(dir, "new.jsonl"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, %v; want 0600", fi.Mode(), err)
	}
}

func TestConcurrentRecording(t *testing.T) {
	r, c, path := openTest(t)
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r.Sent("CreateUser")
				r.Answered("CreateUser", CodeOK, time.Duration(i)*time.Microsecond)
				r.Settled("created", 1)
				if w == 0 && i%100 == 0 {
					c.Add(time.Second)
				}
			}
		}()
	}
	wg.Wait()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var sent, ok, created, lat int64
	for _, b := range readAll(t, path) {
		sent += b.Sent["CreateUser"]
		ok += b.Answers["CreateUser"][CodeOK]
		created += b.Settled["created"]
		lat += b.Latency.Count
	}
	if want := int64(workers * each); sent != want || ok != want || created != want || lat != want {
		t.Fatalf("sent %d ok %d created %d latencies %d, want %d each", sent, ok, created, lat, want)
	}
}

func TestNilRecorderIsNoop(t *testing.T) {
	var r *Recorder
	r.Sent("a")
	r.Answered("a", CodeOK, time.Second)
	r.Refused()
	r.Retried()
	r.Settled("created", 1)
	r.SetRate(3)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestEventsAfterCloseDropped(t *testing.T) {
	r, c, path := openTest(t)
	r.Settled("created", 1)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r.Settled("created", 5)
	c.Add(time.Minute)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, path); len(got) != 1 || got[0].Settled["created"] != 1 {
		t.Fatalf("got %+v", got)
	}
}

// failSink fails every write after the first n lines.
type failSink struct{ n, lines int }

func (s *failSink) add(Bucket) error {
	if s.lines >= s.n {
		return errors.New("disk full")
	}
	s.lines++
	return nil
}
func (s *failSink) flush() error { return nil }
func (s *failSink) close() error { return nil }

func TestWriteErrorIsStickyAndReported(t *testing.T) {
	c := newClock()
	out := &failSink{n: 1}
	r := start(out, Options{Now: c.Now, FlushEvery: -1})
	for range 3 {
		r.Sent("CreateUser")
		c.Add(time.Second)
	}
	if err := r.Flush(); err == nil || err.Error() != "disk full" {
		t.Fatalf("Flush = %v, want the write error", err)
	}
	r.Sent("CreateUser") // the hot path goes on without panicking or blocking
	if err := r.Close(); err == nil {
		t.Fatal("Close hid the write error")
	}
	if out.lines != 1 {
		t.Errorf("%d lines written, want 1 before the error", out.lines)
	}
}
