package htmlreport

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ciam-import/ciam-import/importer/timeline"
)

// chromium returns the browser to test with: $CHROMIUM, else
// /usr/bin/chromium. Without one the test skips loudly, and fails under CI
// (CI=true), where .ci/chromium.sh installs it.
func chromium(t *testing.T) string {
	t.Helper()
	p := os.Getenv("CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(p); err != nil {
		msg := fmt.Sprintf("\n!!!!!!!!\n!!! chromium not found at %s: the HTML report was NOT tested in a browser.\n!!! Install it with .ci/chromium.sh (apt-get install chromium).\n!!!!!!!!", p)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// browser starts a headless chromium for the test and records every
// console error or warning, exception and non-file request of its page.
func browser(t *testing.T) (context.Context, *problems) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	p := &problems{}
	if err := chromedp.Listen(ctx, p.see); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, p
}

// problems collects what a clean page must not produce.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) see(ev any) {
	var s string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
			s = fmt.Sprintf("console %s: %d args", e.Type, len(e.Args))
		}
	case *runtime.EventExceptionThrown:
		s = "exception: " + e.ExceptionDetails.Text
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
			s = fmt.Sprintf("log %s (%s): %s", e.Entry.Level, e.Entry.Source, e.Entry.Text)
		}
	case *network.EventRequestWillBeSent:
		if !strings.HasPrefix(e.Request.URL, "file://") {
			s = "request: " + e.Request.URL
		}
	}
	if s != "" {
		p.mu.Lock()
		p.list = append(p.list, s)
		p.mu.Unlock()
	}
}

func (p *problems) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.list...)
}

// load writes d to dir/report.html and opens it.
func load(t *testing.T, ctx context.Context, d Data) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(f, d); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	u := (&url.URL{Scheme: "file", Path: path}).String()
	nctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("load %s: %v", u, err)
	}
	return u
}

// eval evaluates a JavaScript expression on the page.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func TestBrowserRendersReport(t *testing.T) {
	ctx, probs := browser(t)
	d := sampleData()
	pageURL := load(t, ctx, d)

	if got := eval[string](t, ctx, `document.title`); got != "ciam-import report" {
		t.Errorf("title %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#created-chart rect[data-bin]').length`); n != len(d.Timeline) {
		t.Errorf("created chart has %d bars, want one per second: %d", n, len(d.Timeline))
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#trouble-chart g[data-bin]').length`); n != len(d.Timeline) {
		t.Errorf("trouble chart has %d bins, want %d", n, len(d.Timeline))
	}
	var created, refused int64
	for _, b := range d.Timeline {
		created += b.Settled["created"]
		refused += b.Refused
	}
	sum := func(sel, attr string) int64 {
		return eval[int64](t, ctx, fmt.Sprintf(`[...document.querySelectorAll(%q)].reduce((s, e) => s + Number(e.dataset[%q]), 0)`, sel, attr))
	}
	if got := sum("#created-chart rect[data-bin]", "created"); got != created {
		t.Errorf("bars sum to %d created, want %d", got, created)
	}
	if got := sum("#trouble-chart g[data-bin]", "refused"); got != refused {
		t.Errorf("trouble bins sum to %d refused, want %d", got, refused)
	}
	// every bar is drawn inside the plot and the tallest ones reach near the quota
	outside := eval[int](t, ctx, `[...document.querySelectorAll('#created-chart rect[data-bin]')].filter(r => {
		const b = r.getBBox(); return b.x < 58 || b.x + b.width > 985.01 || b.y < 24 || b.y + b.height > 222.01 }).length`)
	if outside != 0 {
		t.Errorf("%d bars outside the plot", outside)
	}
	// one move per run, then a step per second that had answers
	if got := eval[int](t, ctx, `(document.querySelector('#latency-chart .p99').getAttribute('d').match(/H/g) || []).length`); got != len(d.Timeline) {
		t.Errorf("p99 line has %d steps, want %d", got, len(d.Timeline))
	}
	if q := eval[string](t, ctx, `document.getElementById('quota-line').dataset.quota`); q != "20" {
		t.Errorf("quota line %q", q)
	}
	for _, c := range cards(d) {
		js := fmt.Sprintf(`(() => { const e = document.querySelector('[data-total=%q]'); return e ? e.dataset.value + '|' + e.querySelector('.v').textContent : '' })()`, c.Key)
		if got, want := eval[string](t, ctx, js), fmt.Sprintf("%d|%s", c.N, num(c.N)); got != want {
			t.Errorf("total %s shows %q, want %q", c.Key, got, want)
		}
	}
	if got := eval[string](t, ctx, `document.querySelector('[data-total=created] .v').textContent`); got != num(d.Totals["created"]) {
		t.Errorf("created total %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('script, link, img, iframe, object').length`); n != 0 {
		t.Errorf("%d script/link/img elements: user data broke out of its escaping", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('#codes tr[data-rows="30"] code').textContent`); got != "InvalidParameter.<script>alert(1)</script>" {
		t.Errorf("code cell %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#runs tbody tr').length`); n != len(d.Runs) {
		t.Errorf("%d run rows, want %d", n, len(d.Runs))
	}
	base := strings.TrimSuffix(pageURL, "report.html")
	links := eval[[]string](t, ctx, `[...document.querySelectorAll('#reports a')].map(a => a.href)`)
	want := []string{"created.csv", "conflicts.csv", "retryable.csv", "rejected.csv", "skipped.csv", "odd%20name%20%231.csv"}
	if len(links) != len(want) {
		t.Fatalf("links %v, want %d (../escape.csv unlinked)", links, len(want))
	}
	for i, w := range want {
		if links[i] != base+w {
			t.Errorf("link %d = %s, want %s", i, links[i], base+w)
		}
	}
	// the bars are requests sent, the line rows settled: it ends at the
	// rows settled in all, and no bar of this run at 18-20/s crosses the quota
	var sent, settled int64
	for _, b := range d.Timeline {
		sent += busiest(b.Sent)
		for _, n := range b.Settled {
			settled += n
		}
	}
	if got := sum("#created-chart rect[data-bin]", "sent"); got != sent {
		t.Errorf("bars sum to %d sent, want %d", got, sent)
	}
	if got := eval[int64](t, ctx, `Math.max(...[...document.querySelectorAll('#created-chart rect[data-bin]')].map(r => Number(r.dataset.settled)))`); got != settled {
		t.Errorf("the settled line ends at %d, want %d", got, settled)
	}
	above := eval[int](t, ctx, `(() => { const q = document.getElementById('quota-line').getBBox().y;
		return [...document.querySelectorAll('#created-chart rect[data-bin]')].filter(r => r.getBBox().y < q - 0.5).length })()`)
	if above != 0 {
		t.Errorf("%d bars above the quota line though no second sent more than 20 requests", above)
	}
	// what to do next, with commands; a code never wraps; a finished run
	// with rows to review is not "partial"
	if n := eval[int](t, ctx, `document.querySelectorAll('#next li code.cmd').length`); n < 2 {
		t.Errorf("%d next steps with a command", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('#next').textContent`); !strings.Contains(got, "ciam-import status --state-dir") || !strings.Contains(got, "rejected.csv") {
		t.Errorf("next steps lack the status command or the rejected rows: %q", got)
	}
	// each piece of a code between dots is on one line (a code breaks only
	// after a dot), and the tables fit their sections: every column shows
	midWord := eval[int](t, ctx, `[...document.querySelectorAll('#codes code, #answers code')].flatMap(c => [...c.childNodes])
		.filter(n => n.nodeType === 3).filter(n => { const r = document.createRange(); r.selectNodeContents(n);
		return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1 }).length`)
	if midWord != 0 {
		t.Errorf("%d pieces of codes wrap mid-word", midWord)
	}
	if wide := eval[[]string](t, ctx, `[...document.querySelectorAll('.cols > section')].filter(s => s.scrollWidth > s.clientWidth + 1)
		.map(s => s.querySelector('h2').textContent + ': ' + s.scrollWidth + ' > ' + s.clientWidth)`); len(wide) != 0 {
		t.Errorf("tables wider than their section (a column is hidden): %v", wide)
	}
	if got := eval[string](t, ctx, `document.querySelector('#runs tr[data-run="2"]').textContent`); strings.Contains(got, "partial") || !strings.Contains(got, "rows to review") {
		t.Errorf("run 2 row %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#codes thead').textContent`); !strings.Contains(got, "Share of rows read") {
		t.Errorf("codes share not labelled as of rows read: %q", got)
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("page overflows horizontally by %d px", w)
	}
	if p := os.Getenv("HTMLREPORT_SCREENSHOT"); p != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, png, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if ps := probs.all(); len(ps) > 0 {
		t.Errorf("page problems:\n%s", strings.Join(ps, "\n"))
	}
}

// TestBrowserLongAndEmpty checks a six-hour timeline (merged into at most
// MaxPoints bins, totals kept) and an empty report in the same browser.
func TestBrowserLongAndEmpty(t *testing.T) {
	ctx, probs := browser(t)
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var tl []timeline.Bucket
	for s := range 6 * 3600 {
		tl = append(tl, timeline.Bucket{Time: t0.Add(time.Duration(s) * time.Second), Rate: 20, Settled: map[string]int64{"created": int64(s % 21)}})
	}
	var created int64
	for _, b := range tl {
		created += b.Settled["created"]
	}
	load(t, ctx, Data{Timeline: tl, Quota: 20, Totals: map[string]int64{"created": created}, RowsRead: created})
	n := eval[int](t, ctx, `document.querySelectorAll('#created-chart rect[data-bin]').length`)
	if want := len(bins(tl)); n != want || n > MaxPoints || n < MaxPoints/2 {
		t.Errorf("%d bars, want %d (<= %d)", n, want, MaxPoints)
	}
	if got := eval[int64](t, ctx, `[...document.querySelectorAll('#created-chart rect[data-bin]')].reduce((s, e) => s + Number(e.dataset.created), 0)`); got != created {
		t.Errorf("bars sum to %d, want %d", got, created)
	}
	if tl[0].Settled["created"] != 0 || tl[1].Settled["created"] != 1 {
		t.Error("Write modified the caller's buckets")
	}
	load(t, ctx, Data{})
	if got := eval[string](t, ctx, `document.querySelector('.empty').textContent`); !strings.Contains(got, "No timeline") {
		t.Errorf("empty report says %q", got)
	}
	if ps := probs.all(); len(ps) > 0 {
		t.Errorf("page problems:\n%s", strings.Join(ps, "\n"))
	}
}
