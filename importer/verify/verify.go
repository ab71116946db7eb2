package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// Ways verify read the store (Summary.Via).
const (
	ViaExport  = "export"
	ViaLookups = "lookups"
)

// Options configure a verify.
type Options struct {
	Input       source.Input
	Spec        *mapping.Spec
	UserStoreID string
	API         API
	// Dir receives verify.csv and, while verify works, the export and its
	// checkpoint. It must exist (state.OpenDir); Run holds its lock, so a
	// run and a verify of one state directory never overlap.
	Dir  string
	Rate float64 // requests per second of each action; <= 0 unlimited
	// NoExport looks every row up instead of exporting the store.
	NoExport bool
	// Poll caps the wait between two ListJobs of the export job; they
	// start 200 ms apart and double (default 10s).
	Poll       time.Duration
	JobTimeout time.Duration // how long to wait for the export (default 30m)
	Workers    int           // lookups in flight (default: rate x 1.5 s, at least 8)
	Retry      pace.RetryPolicy
	Warn       func(string) // told of a fallback or a skipped check; may be nil
	Command    string       // recorded in the lock
}

// Summary is what a verify found.
type Summary struct {
	Rows int64 `json:"rows"`
	Counts
	Via string `json:"via"`
	// ExportReused: the export file of a killed verify was complete and
	// was read again without a request.
	ExportReused bool `json:"export_reused,omitempty"`
	// ExtrasSkipped says why extra users were not looked for ("" when
	// they were).
	ExtrasSkipped string        `json:"extras_skipped,omitempty"`
	Requests      int64         `json:"requests"`
	Elapsed       time.Duration `json:"elapsed_ns"`
	Report        string        `json:"report"`
}

// Run compares every row of opt.Input with what CIAM holds and writes
// verify.csv. It exports the store once (or reuses the complete export of
// a verify that was killed) and falls back to lookups when the export is
// refused. An error leaves the previous verify.csv in place and, for a
// re-run, the export checkpoint; a finished verify removes the export.
func Run(ctx context.Context, opt Options) (*Summary, error) {
	start := time.Now()
	lock, err := state.Lock(opt.Dir, state.LockInfo{PID: os.Getpid(), Started: start, Command: opt.Command})
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	opt = opt.withDefaults()
	api := newPaced(opt.API, opt.Rate, opt.Retry)
	sum := &Summary{Via: ViaLookups, Report: opt.Dir + string(os.PathSeparator) + ReportFile}
	ix, err := openStore(ctx, opt, api, sum)
	if err != nil {
		return nil, err
	}
	err = compareAll(ctx, opt, api, ix, sum)
	if ix != nil {
		err = errors.Join(err, ix.close())
	}
	if err == nil && ix != nil {
		err = removeExport(opt.Dir)
	}
	sum.Requests, sum.Elapsed = api.requests.Load(), time.Since(start)
	if err != nil {
		return sum, err
	}
	return sum, nil
}

func (o Options) withDefaults() Options {
	if o.Poll <= 0 {
		o.Poll = 10 * time.Second
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = 30 * time.Minute
	}
	if o.Workers <= 0 {
		o.Workers = max(8, int(o.Rate*1.5))
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	return o
}

// openStore exports the store and indexes it; nil (lookups) with
// NoExport or when the export is refused.
func openStore(ctx context.Context, opt Options, api *paced, sum *Summary) (*index, error) {
	if opt.NoExport {
		return nil, nil
	}
	x := &exporter{api: api, dir: opt.Dir, store: opt.UserStoreID, legacy: opt.Spec.LegacyIDAttribute(), poll: opt.Poll, timeout: opt.JobTimeout}
	path, err := x.fetch(ctx)
	if errors.Is(err, ErrExportRefused) {
		opt.Warn(fmt.Sprintf("%v; looking every row up instead, at --rate", err))
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	sum.Via, sum.ExportReused = ViaExport, x.reused
	return openIndex(ctx, path, opt.Spec.LegacyIDAttribute())
}

// compareAll writes one verdict per row, then the extras.
func compareAll(ctx context.Context, opt Options, api *paced, ix *index, sum *Summary) error {
	src, err := opt.Input.Open("")
	if err != nil {
		return err
	}
	defer src.Close()
	rep, err := openReport(opt.Dir)
	if err != nil {
		return errors.Join(err, rep.close(err))
	}
	emit := func(r Result) error {
		sum.add(r.Verdict)
		return rep.write(r)
	}
	err = compareRows(ctx, opt, api, ix, src, sum, emit)
	if err == nil {
		err = extras(opt, ix, sum, emit)
	}
	return errors.Join(err, rep.close(err))
}

// extras reports the users of this source no row has, or says why not.
func extras(opt Options, ix *index, sum *Summary, emit func(Result) error) error {
	switch {
	case opt.Spec.LegacyIDAttribute() == 0:
		sum.ExtrasSkipped = "the mapping does not store the legacy id in an indexed attribute (IndexedAttributeN: <key field>), so users of this source cannot be told from others"
	case ix == nil:
		sum.ExtrasSkipped = "lookups find the rows' users only; extra users need the export"
	default:
		return ix.extras(emit)
	}
	opt.Warn("extra users not looked for: " + sum.ExtrasSkipped)
	return nil
}
