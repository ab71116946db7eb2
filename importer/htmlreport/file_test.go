package htmlreport

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A write stopped by its context (a signal) leaves no temp file and the
// page it would replace untouched; an unstopped one replaces it.
func TestWriteFileContextStopped(t *testing.T) {
	for _, tc := range []struct {
		name     string
		stopped  bool
		afterLen int // bytes written before the stop; -1: stopped before
	}{{"stopped", true, -1}, {"stopped mid-page", true, 10 << 10}, {"not stopped", false, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.html")
			if err := os.WriteFile(path, []byte("old page"), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.stopped && tc.afterLen < 0 {
				cancel()
			}
			if tc.afterLen > 0 {
				ctx = &cancelAfter{Context: ctx, cancel: cancel}
			}
			err := WriteFileContext(ctx, path, sampleData())
			got, _ := os.ReadFile(path)
			entries, _ := os.ReadDir(dir)
			switch {
			case tc.stopped && (!errors.Is(err, context.Canceled) || string(got) != "old page"):
				t.Errorf("WriteFileContext = %v; the page is %d bytes, want the old one", err, len(got))
			case !tc.stopped && (err != nil || string(got) == "old page"):
				t.Errorf("WriteFileContext = %v; the page was not replaced", err)
			case len(entries) != 1:
				t.Errorf("the directory holds %d entries, want only report.html: a temp file was left", len(entries))
			}
		})
	}
}

// cancelAfter cancels itself at its second Err call: after the first write.
type cancelAfter struct {
	context.Context
	cancel func()
	calls  int
}

func (c *cancelAfter) Err() error {
	if c.calls++; c.calls == 2 {
		c.cancel()
	}
	return c.Context.Err()
}
