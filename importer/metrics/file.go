package metrics

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/common/expfmt"
)

// WriteFile writes the metrics in Prometheus text format to path
// atomically: a temp file in path's directory, fsync, mode 0644, rename
// over path, fsync of the directory. On error path is untouched and the
// temp file removed.
func (m *Metrics) WriteFile(path string) error {
	mfs, err := m.reg.Gather()
	if err != nil {
		return fmt.Errorf("gather metrics: %w", err)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("write metrics file %s: its directory %s does not exist or is not a directory", path, dir)
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write metrics file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after the rename: a no-op
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(tmp, mf); err != nil {
			_ = tmp.Close()
			return fmt.Errorf("write metrics: %w", err)
		}
	}
	if err := syncClose(tmp); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	return fsyncDir(dir)
}

// syncClose sets f to 0644, fsyncs and closes it.
func syncClose(f *os.File) error {
	err := f.Chmod(0o644)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func fsyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsync dir: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return nil
}

// DefaultEvery is the Writer's default period.
const DefaultEvery = 15 * time.Second

// Writer rewrites a metrics file every period until Close.
type Writer struct {
	m    *Metrics
	path string
	done chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error // first periodic write error
}

// StartWriter writes m to path now and then every period (0 means
// DefaultEvery) until Close. The first write's error is returned at once,
// so a bad --metrics-file fails the run at its start.
func StartWriter(m *Metrics, path string, every time.Duration) (*Writer, error) {
	if every <= 0 {
		every = DefaultEvery
	}
	if err := m.WriteFile(path); err != nil {
		return nil, err
	}
	w := &Writer{m: m, path: path, done: make(chan struct{})}
	w.wg.Add(1)
	go w.loop(every)
	return w, nil
}

// warmUp is how long after the start the file is rewritten every second,
// so that it shows the run's first rows and answers at once.
const warmUp = 15 * time.Second

func (w *Writer) loop(every time.Duration) {
	defer w.wg.Done()
	start := time.Now()
	t := time.NewTimer(min(time.Second, every))
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
			next := every
			if time.Since(start) < warmUp {
				next = min(time.Second, every)
			}
			t.Reset(next)
			if err := w.m.WriteFile(w.path); err != nil {
				w.mu.Lock()
				w.err = firstErr(w.err, err)
				w.mu.Unlock()
			}
		}
	}
}

// Close stops the periodic writes and writes the file a last time (call
// it after RunEnded). It returns the final write's error, or else the
// first periodic one. Close must be called once.
func (w *Writer) Close() error {
	close(w.done)
	w.wg.Wait()
	err := w.m.WriteFile(w.path)
	w.mu.Lock()
	defer w.mu.Unlock()
	return firstErr(err, w.err)
}

// firstErr returns the first non-nil error.
func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
