package main

import (
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/ciam-import/ciam-import/importer/metrics"
	"github.com/ciam-import/ciam-import/importer/timeline"
)

// watch is the run's importer.Observer: it records every second in the
// state directory's timeline (for `ciam-import report`) and, with
// --metrics-file, keeps Prometheus metrics a textfile collector reads.
type watch struct {
	rec atomic.Pointer[timeline.Recorder] // opened once the run holds the state directory's lock
	met *metrics.Metrics                  // nil without --metrics-file
	mw  *metrics.Writer
}

// newWatch starts the metrics file, if one is asked for: a path that cannot
// be written fails before the run starts. label is the import label.
func newWatch(metricsFile, label, stateDir string) (*watch, error) {
	w := &watch{}
	if metricsFile == "" {
		return w, nil
	}
	abs, _ := filepath.Abs(stateDir)
	w.met = metrics.New(metrics.Labels{Import: label, StateDir: abs})
	w.met.RunStarted(time.Now())
	mw, err := metrics.StartWriter(w.met, metricsFile, 0)
	if err != nil {
		return nil, err
	}
	w.mw = mw
	return w, nil
}

// open starts this run's timeline file in the state directory.
func (w *watch) open(stateDir string) error {
	rec, err := timeline.Open(timeline.PathFor(stateDir, time.Now()), timeline.Options{})
	if err != nil {
		return err
	}
	w.rec.Store(rec)
	return nil
}

// close ends the timeline and writes the metrics one last time.
func (w *watch) close(exitCode int) error {
	var err error
	if rec := w.rec.Load(); rec != nil {
		err = rec.Close()
	}
	if w.mw != nil {
		w.met.RunEnded(time.Now(), exitCode)
		if cerr := w.mw.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (w *watch) Sent(action string) { w.rec.Load().Sent(action) }

func (w *watch) Answered(action, code string, latency time.Duration) {
	w.rec.Load().Answered(action, code, latency)
	w.met.Answered(action, code)
	if code == timeline.CodeOK {
		w.met.Succeeded(time.Now())
	}
}

func (w *watch) Refused() { w.rec.Load().Refused() }
func (w *watch) Retried() { w.rec.Load().Retried() }

func (w *watch) Settled(outcome string, n int) {
	w.rec.Load().Settled(outcome, n)
	w.met.Settled(outcome, n)
}

func (w *watch) SetRate(perSecond float64) {
	w.rec.Load().SetRate(perSecond)
	w.met.SetRate(perSecond)
}
