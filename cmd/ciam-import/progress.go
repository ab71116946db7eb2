package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/ciam-import/ciam-import/importer"
)

// logEvery is how often a run without a terminal logs its progress.
const logEvery = 10 * time.Second

// progress shows the run: a live bar on a terminal, periodic log lines
// otherwise (cron). The bar counts input bytes, so its ETA holds however
// long the rows are; the description carries the row counts.
type progress struct {
	mu      sync.Mutex
	bar     *progressbar.ProgressBar
	logger  *slog.Logger
	lastLog time.Time
	mode    string
	out     io.Writer
}

func newProgress(mode string, stderr io.Writer, logger *slog.Logger) *progress {
	if mode == "auto" {
		mode = "never"
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			mode = "always"
		}
	}
	return &progress{mode: mode, out: stderr, logger: logger, lastLog: time.Now()}
}

func (p *progress) update(pr importer.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode != "always" {
		p.log(pr)
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(pr.Size,
			progressbar.OptionSetWriter(p.out),
			progressbar.OptionShowBytes(false),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(150*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	p.bar.Describe(describe(pr))
	_ = p.bar.Set64(pr.Pos)
}

func (p *progress) log(pr importer.Progress) {
	if time.Since(p.lastLog) < logEvery {
		return
	}
	p.lastLog = time.Now()
	c := pr.Counts
	attrs := append([]any{"pass", pr.Pass}, countsAttrs(c)...)
	p.logger.Info("progress", append(attrs, "percent", fmt.Sprintf("%.1f", percent(pr)), "rate", fmt.Sprintf("%.1f", pr.Rate))...)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.out)
	}
}

func describe(pr importer.Progress) string {
	return fmt.Sprintf("%s  (%.0f/s max)", countsSum(pr.Counts, "  "), pr.Rate)
}

func percent(pr importer.Progress) float64 {
	if pr.Size <= 0 {
		return 100
	}
	return 100 * float64(pr.Pos) / float64(pr.Size)
}
