package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// writeTrace saves, under c.traceDir, a run's CreateUser admission times
// (milliseconds from the process start, one a line) and its stderr, for
// looking at how the pacing behaved. Nothing is written without -trace.
func writeTrace(c *config, name string, p proc, srv *emulator.Server) error {
	if c.traceDir == "" {
		return nil
	}
	if err := os.MkdirAll(c.traceDir, 0o700); err != nil {
		return err
	}
	if err := writeTimes(c, name+".admitted", p.start, srv.Admitted(ciam.ActionCreateUser)); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(c.traceDir, name+".stderr.log"), p.stderr, 0o600)
}

// writeTimes writes ts as milliseconds from start, one a line, to
// c.traceDir/name.txt.
func writeTimes(c *config, name string, start time.Time, ts []time.Time) error {
	if c.traceDir == "" {
		return nil
	}
	var b bytes.Buffer
	for _, t := range ts {
		fmt.Fprintf(&b, "%.1f\n", float64(t.Sub(start))/float64(time.Millisecond))
	}
	return os.WriteFile(filepath.Join(c.traceDir, name+".txt"), b.Bytes(), 0o600)
}
