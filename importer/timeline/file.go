package timeline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// FilePrefix and FileSuffix frame the names of timeline files in a state
// directory: one file per run, named for the run's start.
const (
	FilePrefix = "timeline-"
	FileSuffix = ".jsonl"
)

// PathFor returns the timeline file path in dir of a run started at start:
// timeline-YYYYMMDDTHHMMSS.mmmZ.jsonl, so that names sort by time.
func PathFor(dir string, start time.Time) string {
	return filepath.Join(dir, FilePrefix+start.UTC().Format("20060102T150405.000Z")+FileSuffix)
}

// Open creates the timeline file at path (mode 0600; an existing file or a
// symlink at path is an error) and starts recording into it. The caller
// must Close the recorder.
func Open(path string, o Options) (*Recorder, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open timeline: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open timeline: %w", err)
	}
	return start(&fileSink{f: f, w: bufio.NewWriter(f)}, o), nil
}

// start builds a recorder writing to out and starts its flush loop.
func start(out sink, o Options) *Recorder {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	r := &Recorder{now: now, out: out, done: make(chan struct{})}
	r.cur = Bucket{Time: second(now())}
	every := o.FlushEvery
	if every == 0 {
		every = time.Second
	}
	if every > 0 {
		r.wg.Add(1)
		go r.loop(every)
	}
	return r
}

// sink is where finished buckets go.
type sink interface {
	add(b Bucket) error // buffer one bucket line
	flush() error       // write the buffered lines
	close() error       // flush, fsync, close
}

// fileSink writes JSON lines to a file.
type fileSink struct {
	f *os.File
	w *bufio.Writer
}

func (s *fileSink) add(b Bucket) error {
	line, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode timeline bucket: %w", err)
	}
	if _, err := s.w.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("write timeline: %w", err)
	}
	return nil
}

func (s *fileSink) flush() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write timeline: %w", err)
	}
	return nil
}

func (s *fileSink) close() error {
	err := s.flush()
	if err == nil {
		if err = s.f.Sync(); err != nil {
			err = fmt.Errorf("sync timeline: %w", err)
		}
	}
	if cerr := s.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close timeline: %w", cerr)
	}
	return err
}
