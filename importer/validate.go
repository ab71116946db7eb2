package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// ValidateOptions configure a dry run: read, map and check every row
// without calling the API.
type ValidateOptions struct {
	Input     source.Input
	Spec      *mapping.Spec
	ReportDir string  // where rejected.csv and conflicts.csv go (0600)
	Rate      float64 // for the expected duration of a real run
}

// ValidateSummary counts what a run would do with each row.
type ValidateSummary struct {
	Rows       int64         `json:"rows"`
	Valid      int64         `json:"valid"` // rows a run would send
	Rejected   int64         `json:"rejected"`
	Duplicates int64         `json:"duplicates"` // conflicts found inside the input
	Elapsed    time.Duration `json:"elapsed_ns"`
	Expected   time.Duration `json:"expected_run_ns"` // Valid / Rate
	ReportDir  string        `json:"report_dir"`
}

// Validate checks every row of opt.Input and writes the rejected and
// duplicate rows to the same reports a run would. It runs the same pipeline
// as a run, with a sink that sends nothing and no state directory: its
// duplicate table is a temporary one in the report directory, removed
// when it returns.
// Cancelling ctx stops it.
func Validate(ctx context.Context, opt ValidateOptions) (*ValidateSummary, error) {
	start := time.Now()
	src, err := opt.Input.Open("")
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if h := src.Header(); h != nil {
		if err := opt.Spec.CheckHeader(h); err != nil {
			return nil, err
		}
	}
	w, err := report.OpenWriter(opt.ReportDir, nil)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	read := newReadProgress(opt.Input)
	seen, cleanup, err := tempSeen(opt.ReportDir, read)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	sum := &ValidateSummary{ReportDir: opt.ReportDir}
	p := newPipeline(0)
	p.src, p.spec, p.sinks, p.seen, p.at = src, opt.Spec, []sink.Sink{sink.Dry{}}, seen, read
	p.settle = func(_ *sink.Row, r sink.Result) error { return sum.add(w, r) }
	stop := context.AfterFunc(ctx, func() { p.stop(StopInterrupted) })
	defer stop()
	err = errors.Join(p.run(ctx), p.fatalErr())
	if err := w.Sync(); err != nil {
		return nil, err
	}
	sum.Elapsed = time.Since(start)
	if opt.Rate > 0 {
		sum.Expected = time.Duration(float64(sum.Valid) / opt.Rate * float64(time.Second))
	}
	if err != nil {
		return nil, err
	}
	return sum, ctx.Err()
}

// tempSeen opens a scratch duplicate table in a new directory under dir:
// every row of validate settles at once as a run would settle it (a sink
// that sends nothing), so a row holds its identifiers from its check on;
// cleanup closes and removes it.
func tempSeen(dir string, read *readProgress) (*dedup.Table, func(), error) {
	tmp, err := os.MkdirTemp(dir, ".seen-")
	if err != nil {
		return nil, nil, fmt.Errorf("create duplicate table: %w", err)
	}
	seen, err := dedup.Open(tmp, dedup.Config{Scratch: true, Progress: read.fraction})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, err
	}
	return seen, func() { seen.Close(); os.RemoveAll(tmp) }, nil
}

func (sum *ValidateSummary) add(w *report.Writer, r sink.Result) error {
	sum.Rows++
	switch {
	case r.Dry:
		sum.Valid++
		return nil
	case r.Entry.Outcome == outcome.Conflict.Name:
		sum.Duplicates++
	default:
		sum.Rejected++
	}
	return checkpoint.WriteEntry(w, r.Entry)
}
