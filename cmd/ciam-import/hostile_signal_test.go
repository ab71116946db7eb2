package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// signalCases: report stopped by a signal (its context, as SIGINT/SIGTERM
// cancel it) removes its temp file and leaves the page it would replace.
func signalCases() []hostileCase {
	return []hostileCase{
		{item: 21, name: "report stopped by a signal removes its temp file",
			do: func(h *hostileEnv) binRun {
				h.stoppedBig(100)
				h.write("state/report.html", "old page")
				ctx, cancel := context.WithCancel(context.Background())
				cancel() // the signal, before the page is written
				var stdout, stderr lockedBuffer
				start := time.Now()
				code := run(ctx, []string{"report", "--state-dir", h.state}, &stdout, &stderr)
				return binRun{code: code, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
			},
			code: exitInterrupted, stderr: []string{"report: interrupted:", "report.html was not written (its temp file removed)"},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if got := readAll(t, filepath.Join(h.state, "report.html")); got != "old page" {
					t.Errorf("report.html was replaced")
				}
				entries, _ := os.ReadDir(h.state)
				for _, e := range entries {
					if strings.Contains(e.Name(), ".tmp") {
						t.Errorf("a temp file was left: %s", e.Name())
					}
				}
			}},
	}
}
