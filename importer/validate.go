package importer

import (
	"context"
	"errors"
	"time"

	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// ValidateOptions configure a dry run: read, map and check every row
// without calling the API.
type ValidateOptions struct {
	Input     string
	Format    string
	Delimiter rune
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
	// DedupLimited says the duplicate table reached its cap (about 900,000
	// rows): duplicates of later rows are left to CIAM's AlreadyExists.
	DedupLimited bool   `json:"dedup_limited,omitempty"`
	ReportDir    string `json:"report_dir"`
}

// Validate checks every row of opt.Input and writes the rejected and
// duplicate rows to the same reports a run would. Cancelling ctx stops it.
func Validate(ctx context.Context, opt ValidateOptions) (*ValidateSummary, error) {
	start := time.Now()
	src, err := source.Open(opt.Input, source.Options{Format: opt.Format, Delimiter: opt.Delimiter})
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
	p := &pipeline{spec: opt.Spec, dedup: newDedup(), worker: &worker{}, stopped: make(chan struct{})}
	sum := &ValidateSummary{ReportDir: opt.ReportDir}
	err = mapInOrder(ctx, src, opt.Spec, func(rec source.Record, u *mapping.User, err error) error {
		return sum.add(p, w, rec, u, err)
	})
	if err == nil {
		err = p.fatalErr() // the password generator failed
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	if err := w.Sync(); err != nil {
		return nil, err
	}
	sum.DedupLimited = p.dedup.full
	sum.Elapsed = time.Since(start)
	if opt.Rate > 0 {
		sum.Expected = time.Duration(float64(sum.Valid) / opt.Rate * float64(time.Second))
	}
	return sum, ctx.Err()
}

func (sum *ValidateSummary) add(p *pipeline, w *report.Writer, rec source.Record, u *mapping.User, err error) error {
	sum.Rows++
	j, call := p.prepareMapped(rec, u, err)
	if call {
		sum.Valid++
		return nil
	}
	r := <-j.done
	if !r.settled {
		return p.fatalErr()
	}
	if r.entry.Outcome == OutcomeConflict {
		sum.Duplicates++
	} else {
		sum.Rejected++
	}
	return writeReport(w, r.entry)
}
