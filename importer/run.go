package importer

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// Options configure one run of the import job.
type Options struct {
	Input       source.Input // the legacy export or table; the caller built it
	Spec        *mapping.Spec
	StateDir    string
	UserStoreID string
	API         API
	Rate        float64 // CreateUser (and each lookup) requests per second; <= 0 unlimited
	Workers     int     // concurrent calls; default 8
	Retry       pace.RetryPolicy
	Job         JobOptions // the import-job sink, for rows with a password hash
	PacerOpts   []pace.Option
	OnRetry     func(pace.RetryEvent) // called before every retry, e.g. to log it
	MaxRows     int64                 // stop after reading this many rows (0: no limit)
	Canary      int64                 // send only this many rows, read their users back, compare, stop (0: no canary)
	MaxDuration time.Duration         // stop taking rows after this long (0: no limit)
	Restart     bool                  // discard the state directory's progress and start over
	RetryPass   bool                  // send again only the rows left retryable by earlier passes
	LedgerPath  string                // optional ledger of legacy keys imported by every run sharing it
	Abort       <-chan struct{}
	Progress    func(Progress)
	Observer    Observer // hears every request and settled row; nil: nobody
	Logger      *slog.Logger
	Command     string // recorded in the lock and the run history
	// OnLocked, if set, runs once Run holds the state directory's lock and
	// the state and the input passed their checks, before any row: a run
	// that is locked out, or a resume refused, never gets there.
	OnLocked func() error
	// ExitCode, if set, gives the exit code the run history records for a
	// summary (the command owns the codes).
	ExitCode func(*Summary) int
	Now      func() time.Time
	// OnConflict is the conflict policy ("": ConflictSkip). ConflictUpdate
	// needs an API that also implements Updater.
	OnConflict ConflictPolicy
	// ReportMissing writes MissingFile (needs LedgerPath) once the main
	// pass has read the whole input: the ledger's keys no row had.
	ReportMissing bool
}

// Summary says what a run did.
type Summary struct {
	Counts   outcome.Counts `json:"counts"`
	Pass     int            `json:"pass"`
	Done     bool           `json:"done"`    // the pass settled every row of its input
	Stopped  string         `json:"stopped"` // why the run ended early, "" if it did not
	Fatal    string         `json:"fatal,omitempty"`
	Canary   []CanaryDiff   `json:"canary,omitempty"` // fields CIAM holds otherwise than sent (a canary run)
	Resumed  bool           `json:"resumed"`
	Settled  int64          `json:"settled"` // rows settled by this run
	Started  time.Time      `json:"started"`
	Elapsed  float64        `json:"elapsed_seconds"`
	Requests float64        `json:"created_per_second"`
	StateDir string         `json:"state_dir"`
	Next     string         `json:"next,omitempty"` // the command to run next, if any
	// Missing counts the ledger keys not in the input (ReportMissing), listed in MissingFile.
	Missing  int64 `json:"missing,omitempty"`
	created0 int64
	settled0 int64
}

// Run imports opt.Input. Cancelling ctx stops intake gracefully: calls in
// flight finish and settle, progress is checkpointed, and the summary says
// the run was interrupted. Closing opt.Abort also cancels calls in flight;
// their rows stay journaled and the next run reconciles them.
func Run(ctx context.Context, opt Options) (*Summary, error) {
	opt = opt.withDefaults()
	if err := checkPolicy(opt); err != nil {
		return nil, err
	}
	dir, err := state.OpenDir(opt.StateDir)
	if err != nil {
		return nil, err
	}
	lock, err := state.Lock(dir.Path, state.LockInfo{PID: os.Getpid(), Host: hostname(), Started: opt.Now(), Command: opt.Command})
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	st, err := openState(dir, opt)
	if err != nil {
		return nil, err
	}
	defer st.close()
	if opt.LedgerPath != "" {
		if st.ledger, err = OpenLedger(opt.LedgerPath); err != nil {
			return nil, err
		}
		st.addToLedger(st.replayed)
	}
	sum := &Summary{Pass: st.snap.Pass, Resumed: st.resumed, Started: opt.Now(), StateDir: dir.Path,
		created0: st.snap.Counts.Of(outcome.Created), settled0: st.snap.Counts.Settled()}
	if st.snap.Done && st.snap.Pass > 0 {
		return st.finish(sum, opt) // a finished retry pass; a finished main pass reads on: the input may have grown
	}
	err = runPass(ctx, opt, st, sum)
	if err != nil {
		return nil, err
	}
	if err := st.reportMissing(opt, sum); err != nil {
		return nil, err
	}
	return st.finish(sum, opt)
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = defaultWorkers(o.Rate)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = nopObserver{}
	}
	if o.OnConflict == "" {
		o.OnConflict = ConflictSkip
	}
	return o
}

// runPass runs the pipeline over the pass's input from the resume position.
func runPass(ctx context.Context, opt Options, st *runState, sum *Summary) error {
	src, err := st.openSource(opt)
	if err != nil {
		return err
	}
	defer src.Close()
	if h := src.Header(); h != nil {
		if err := opt.Spec.CheckHeader(h); err != nil { // before any row is read
			return err
		}
	}
	if opt.OnLocked != nil { // after every check: a refused resume leaves the directory as it was
		if err := opt.OnLocked(); err != nil {
			return err
		}
	}
	obs := opt.Observer
	onRetry := func(e pace.RetryEvent) {
		obs.Retried()
		if opt.OnRetry != nil {
			opt.OnRetry(e)
		}
	}
	pacer := newPacer(opt.Rate, opt.Retry, append(opt.PacerOpts, pace.WithRetryHook(onRetry))...)
	api := newPaced(opt.API, pacer, obs)
	set := st.settler(opt, pacer)
	// Not done until this pass reads to the end again: a finished main pass
	// reads on (the input may have grown), and a checkpoint taken meanwhile
	// must not let a retry pass start before the new rows are read.
	st.snap.Done = false
	p := newPipeline(st.snap.Pass)
	p.src, p.spec, p.inflight, p.ledger, p.maxRows = src, opt.Spec, st.inflight, st.ledger, opt.MaxRows
	p.policy = opt.OnConflict
	p.settle = func(_ *job, r result) error {
		if err := set.settle(r); err != nil {
			return err
		}
		if err := failOnConflict(opt.OnConflict, r.entry); err != nil {
			p.halt(err) // settled and reported first: the next run goes on after it
		}
		return nil
	}
	var canary []canaryRow
	if opt.Canary > 0 {
		p.maxSent, p.settle = opt.Canary, p.canaryCollect(p.settle, &canary)
	}
	p.begin, p.cancel = set.begin, set.cancel
	p.dedup.onFull = func() {
		opt.Logger.Warn("duplicate detection inside the input is full: later rows are checked against the rows before, not added; CIAM's AlreadyExists catches the rest")
	}
	find := &finder{api: api, storeID: opt.UserStoreID, legacyAttr: opt.Spec.LegacyIDAttribute()}
	create := &createSink{control: &p.control, api: api, find: find, storeID: opt.UserStoreID, workers: opt.Workers, guard: &streak{}}
	p.sinks = []sink{
		create,
		&jobSink{control: &p.control, api: api, find: find, storeID: opt.UserStoreID, opt: opt.Job.withDefaults(), now: opt.Now, sleep: pace.Sleep},
	}
	p.route, p.queue = routeByPassword, max(queueSize, opt.Job.batchBuffer())
	if opt.OnConflict == ConflictUpdate {
		create.update = newUpdateSink(&p.control, api, opt)
		p.sinks = append(p.sinks, create.update)
		p.route = routeUpdates(len(p.sinks)-1, routeByPassword)
	}
	callCtx, cancelCalls := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelCalls()
	finished := make(chan struct{})
	go p.watch(ctx, opt, cancelCalls, finished)
	runErr := p.run(callCtx)
	close(finished)
	if reason, _ := p.reason.Load().(string); reason != "" {
		sum.Stopped = reason
	} else if p.limited.Load() && opt.Canary > 0 {
		sum.Stopped = StopCanary
	} else if p.limited.Load() {
		sum.Stopped = StopMaxRows
	} else {
		st.snap.Done = true
	}
	if opt.Canary > 0 && sum.Stopped != StopFatal && sum.Stopped != StopInterrupted {
		var cerr error
		sum.Canary, cerr = checkCanary(callCtx, api, opt.UserStoreID, canary)
		if cerr != nil {
			sum.Stopped, sum.Fatal = StopFatal, cerr.Error()
		} else {
			sum.Stopped = StopCanary // also when the input ended before the canary's rows
		}
	}
	if f := p.fatalErr(); f != nil {
		sum.Fatal = f.Error()
	}
	err = set.checkpoint()
	st.journal, st.gen = set.journal, set.gen // rotations moved to a new generation
	return errors.Join(runErr, err)
}

// routeByPassword sends rows with a password hash to the import job (1) and
// the others to CreateUser (0); a row left in doubt goes back to the sink
// that began it.
func routeByPassword(j *job) int {
	if j.reconcile && j.sink != "" {
		if j.sink == sinkJob {
			return 1
		}
		return 0
	}
	if j.user.HasPasswordHash() {
		return 1
	}
	return 0
}

// watch turns ctx cancellation, --max-duration and Abort into stops.
func (p *pipeline) watch(ctx context.Context, opt Options, cancelCalls context.CancelFunc, finished <-chan struct{}) {
	var deadline <-chan time.Time
	if opt.MaxDuration > 0 {
		t := time.NewTimer(opt.MaxDuration)
		defer t.Stop()
		deadline = t.C
	}
	select {
	case <-ctx.Done():
		p.stop(StopInterrupted)
	case <-deadline:
		p.stop(StopMaxDuration)
	case <-p.stopped:
	case <-finished:
		return
	}
	select {
	case <-opt.Abort:
		cancelCalls()
	case <-finished:
	}
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// defaultWorkers sizes the CreateUser pool so that answers as slow as 1.5 s
// (a p99 seen against the service) never leave a send slot empty: rate x
// 1.5 s, at least 8; 32 when the rate is unlimited. Extra workers only wait
// for the pacer (make bench, figure 1).
func defaultWorkers(rate float64) int {
	if rate <= 0 {
		return 32
	}
	return max(8, int(math.Ceil(rate*1.5)))
}
