package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/htmlreport"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/timeline"
)

const reportHelp = `Usage: ciam-import report --state-dir DIR [--out FILE]

Writes one self-contained HTML page about the job of DIR (no network needed to
open it): the totals, created/s over time against the quota, refusals and
retries, latency, the rows by error code, the slowest periods, every run
(resumes included) and links to the CSV reports. It holds counts, codes and
file names only: no user data, no secrets. Safe while a run is going.

Example:
  ciam-import report --state-dir ./state          # writes ./state/report.html

Flags:
`

// maxReportBuckets bounds the timeline the page is drawn from.
const maxReportBuckets = 20000

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var dir, out string
	var quota float64
	fs := newFlagSet("report", reportHelp, stderr, "state-dir")
	fs.StringVar(&dir, "state-dir", "", "the state directory of a run")
	fs.StringVar(&out, "out", "", "the HTML file to write (default DIR/report.html, beside the CSV reports it links to)")
	fs.Float64Var(&quota, "quota", 20, "the quota line drawn on the charts, requests per second")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if dir == "" {
		return fail(stderr, exitUsage, errors.New("report: missing --state-dir (see --help)"))
	}
	if out == "" {
		out = filepath.Join(dir, "report.html")
	}
	if err := checkOutputs(dir, []namedPath{{"--out", out}}, nil, "report.html"); err != nil {
		return fail(stderr, exitUsage, err)
	}
	// SIGINT/SIGTERM stop the write: the temp file is removed, out untouched.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := reportData(dir, quota)
	if err != nil {
		return fail(stderr, exitError, err)
	}
	if err := htmlreport.WriteFileContext(ctx, out, d); ctx.Err() != nil {
		fmt.Fprintf(stderr, "report: interrupted: %s was not written (its temp file removed); run the same command again\n", out)
		return exitInterrupted
	} else if err != nil {
		return fail(stderr, exitError, err)
	}
	fmt.Fprintln(stdout, out)
	return exitOK
}

// reportData gathers what the page shows from the state directory.
func reportData(dir string, quota float64) (htmlreport.Data, error) {
	st, err := importer.ReadStatus(dir)
	if err != nil {
		return htmlreport.Data{}, err
	}
	abs, _ := filepath.Abs(dir)
	d := htmlreport.Data{Title: "ciam-import: " + filepath.Base(abs), StateDir: abs, Generated: time.Now(), Quota: quota,
		Totals: map[string]int64{}}
	if s := st.Snapshot; s != nil {
		d.RowsRead, d.InDoubt = s.Counts.Read(), int64(len(s.InFlight))
		for _, o := range outcome.All {
			d.Totals[o.Name] = s.Counts.Of(o)
		}
	}
	for _, r := range st.Runs {
		d.Runs = append(d.Runs, htmlreport.Run{Started: r.Started, Ended: r.Ended, Command: r.Command, Outcome: r.Outcome,
			ExitCode: r.ExitCode, Counts: r.Counts})
	}
	if d.Timeline, err = timeline.ReadDir(dir, maxReportBuckets); err != nil {
		return d, err
	}
	for _, o := range outcome.All {
		d.Reports = append(d.Reports, htmlreport.ReportFile{Name: o.File, Rows: st.Reports[o.File]})
		codes, err := codeCounts(filepath.Join(dir, o.File), o)
		if err != nil {
			return d, err
		}
		d.Codes = append(d.Codes, codes...)
	}
	return d, nil
}

// codeCounts counts a report's rows by their code (or, for rejected rows,
// the field they were rejected for). A missing or still empty report has
// none; a row torn by a crash past the checkpoint (or being written) ends
// the count with the rows that are whole.
func codeCounts(path string, o outcome.Outcome) ([]htmlreport.CodeCount, error) {
	col := -1
	for i, c := range o.Columns {
		if c.Name == outcome.Code.Name || (col < 0 && c.Name == outcome.Field.Name) {
			col = i
		}
	}
	if col < 0 {
		return nil, nil
	}
	counts, order := map[string]int64{}, []string{}
	err := report.Read(path, o, func(r outcome.Row, _ int) error {
		code := o.Columns[col].Value(&r)
		if o.Name == outcome.Rejected.Name {
			code = "field " + code
		}
		if counts[code] == 0 {
			order = append(order, code)
		}
		counts[code]++
		return nil
	})
	var he *report.HeaderError
	var re *report.RowError
	switch {
	case errors.Is(err, os.ErrNotExist), errors.As(err, &he) && he.Got == nil, errors.As(err, &re):
	case err != nil:
		return nil, err
	}
	out := make([]htmlreport.CodeCount, 0, len(order))
	for _, c := range order {
		out = append(out, htmlreport.CodeCount{Outcome: o.Name, Code: c, Rows: counts[c]})
	}
	return out, nil
}
