package main

import (
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/ciam-import/ciam-import/importer"
)

// Pacing of the progress display.
const (
	logEvery    = 10 * time.Second       // a run without a terminal logs its progress this often
	drawEvery   = 150 * time.Millisecond // a terminal line is redrawn at most this often
	sampleEvery = time.Second            // rates are sampled at most this often
)

// progress shows the run: one line redrawn in place on a terminal, periodic
// log lines otherwise (cron). The percent is of the input's bytes settled
// in order (the checkpoint), so it and its time left hold however long the
// rows are; the rate is of rows settled per second, measured, not the cap.
type progress struct {
	mu       sync.Mutex
	live     bool // a terminal: redraw one line
	out      io.Writer
	logger   *slog.Logger
	width    func() int // the terminal's columns
	now      func() time.Time
	lastLog  time.Time
	lastDraw time.Time
	meter    meter
	drawn    bool
}

// newProgress picks the display for mode ("auto", "always", "never"): a
// live line when stderr is a terminal (or always), log lines otherwise.
func newProgress(mode string, stderr io.Writer, logger *slog.Logger) *progress {
	live := mode == "always"
	if mode == "auto" {
		live = isTerminal(stderr)
	}
	return &progress{live: live, out: stderr, logger: logger, width: termWidth(stderr), now: time.Now, lastLog: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// termWidth reports the columns of w: $COLUMNS if set, else the terminal's
// own size (TIOCGWINSZ), else 80. It is asked again at every redraw, so a
// resized window is followed.
func termWidth(w io.Writer) func() int {
	return func() int {
		if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
			return n
		}
		if f, ok := w.(*os.File); ok {
			if n, _, err := term.GetSize(int(f.Fd())); err == nil && n > 0 {
				return n
			}
		}
		return 80
	}
}

// update takes the run's progress; the importer calls it as rows settle.
func (p *progress) update(pr importer.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.meter.sample(now, pr)
	if !p.live {
		p.log(now, pr)
		return
	}
	if now.Sub(p.lastDraw) < drawEvery && p.drawn {
		return
	}
	p.lastDraw = now
	p.draw(progressLine(pr, &p.meter, p.width()))
}

// draw replaces the current line: carriage return, the text, clear to the
// end of the line. The text is narrower than the terminal, so it never wraps.
func (p *progress) draw(line string) {
	io.WriteString(p.out, "\r"+line+"\x1b[K")
	p.drawn = true
}

func (p *progress) log(now time.Time, pr importer.Progress) {
	if now.Sub(p.lastLog) < logEvery {
		return
	}
	p.lastLog = now
	attrs := append([]any{"pass", pr.Pass}, countsAttrs(pr.Counts)...)
	if pct, ok := percent(pr); ok {
		attrs = append(attrs, "percent", round1(pct))
	}
	attrs = append(attrs, "rows_per_second", round1(p.meter.rows), "allowed_rate", round1(pr.Rate))
	if left, ok := p.meter.left(pr); ok {
		attrs = append(attrs, "eta_seconds", math.Round(left.Seconds()))
	}
	p.logger.Info("progress", attrs...)
}

// finish clears the live line, so the summary starts on a clean line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		io.WriteString(p.out, "\r\x1b[K")
		p.drawn = false
	}
}

// percent is how far the checkpoint is through the input, 0-100; not known
// during a retry pass (which reads the retryable rows, not the input) or
// for an input of unknown size.
func percent(pr importer.Progress) (float64, bool) {
	if pr.Pass > 0 || pr.Size <= 0 {
		return 0, false
	}
	return min(100, 100*float64(pr.Pos)/float64(pr.Size)), true
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
