package importer

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/canary"
	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/ledger"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/sink"
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
	Canary      int64                 // send only the first this many rows of each path (CreateUser, import job, UpdateUser), read their users back, compare, stop (0: no canary)
	MaxDuration time.Duration         // stop taking rows after this long (0: no limit)
	Restart     bool                  // discard the state directory's progress and start over
	RetryPass   bool                  // send again only the rows left retryable by earlier passes
	LedgerPath  string                // optional ledger of legacy keys imported by every run sharing it
	SourceName  string                // the ledger's namespace for this source ("": ledger.DefaultSource of Spec)
	Abort       <-chan struct{}
	Progress    func(Progress)
	Observer    Observer // hears every request and settled row; nil: nobody
	Logger      *slog.Logger
	Command     string // recorded in the lock and the run history
	// OnLocked, if set, runs once Run holds the state directory's lock and
	// the state and the input passed their checks, before any row: a run
	// that is locked out, or a resume refused, never gets there.
	OnLocked func() error
	// PrepareSpec, if set, runs after OnLocked, under the lock, before any
	// row: the spec it returns maps the run's rows. The command resolves
	// user group names there (ListUserGroups, CreateUserGroup), so a run
	// that is locked out or refused sends no request at all.
	PrepareSpec func(context.Context, *mapping.Spec) (*mapping.Spec, error)
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
	// InDoubtGrace is how long after the previous run's last journal
	// write a resume waits before it looks up the rows that run left in
	// flight: a request it sent just before it was killed may still reach
	// the service (at most one request timeout later), and a lookup before
	// that finds nothing and resends. 0: no wait.
	InDoubtGrace time.Duration
}

// Summary says what a run did.
type Summary struct {
	Counts  outcome.Counts `json:"counts"`
	Pass    int            `json:"pass"`
	Done    bool           `json:"done"`    // the pass settled every row of its input
	Stopped string         `json:"stopped"` // why the run ended early, "" if it did not
	Fatal   string         `json:"fatal,omitempty"`
	Canary  []CanaryDiff   `json:"canary,omitempty"` // fields CIAM holds otherwise than sent (a canary run)
	// CanaryRead is how many users a canary run read back on each path
	// (CreateUser, import job, UpdateUser); a path absent had no row.
	CanaryRead map[canary.Path]int `json:"canary_read,omitempty"`
	Resumed    bool                `json:"resumed"`
	Settled    int64               `json:"settled"` // rows settled by this run
	Started    time.Time           `json:"started"`
	Elapsed    float64             `json:"elapsed_seconds"`
	Requests   float64             `json:"created_per_second"`
	StateDir   string              `json:"state_dir"`
	Next       string              `json:"next,omitempty"` // the command to run next, if any
	// Missing counts the ledger keys not in the input (ReportMissing), listed in MissingFile.
	Missing int64 `json:"missing,omitempty"`
	// LedgerChanged counts the rows this run skipped because the ledger
	// holds their key although their mapped fields changed since it
	// recorded them (--on-conflict skip or fail): --on-conflict update
	// would send the changes. Each is in skipped.csv, "changed since …".
	LedgerChanged int64 `json:"ledger_changed,omitempty"`
	created0      int64
	settled0      int64
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
	st, err := checkpoint.Open(dir, checkpoint.Config{Fingerprint: fingerprint(opt), Restart: opt.Restart, RetryPass: opt.RetryPass,
		KeyOf: func(fields map[string]any) string { return rowKey(fields, opt.Spec.KeyField()) }})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if len(st.StartedOver) > 0 {
		opt.Logger.Info("started over: the state directory was made for another job and no row of it had settled",
			"changed", strings.Join(st.StartedOver, "; "))
	}
	read := newReadProgress(opt.Input)
	seen, err := openSeen(dir, st, read, opt.Logger)
	if err != nil {
		return nil, err
	}
	defer seen.Close()
	var led *ledger.Ledger
	if opt.LedgerPath != "" {
		if led, err = openLedger(opt); err != nil {
			return nil, err
		}
		defer led.Close()
		for _, e := range st.Replayed {
			led.Settled(e) // the next checkpoint flushes them
		}
	}
	sum := &Summary{Pass: st.Snap.Pass, Resumed: st.Resumed, Started: opt.Now(), StateDir: dir.Path,
		created0: st.Snap.Counts.Of(outcome.Created), settled0: st.Snap.Counts.Settled()}
	if st.Snap.Done && st.Snap.Pass > 0 {
		return finish(st, sum, opt) // a finished retry pass; a finished main pass reads on: the input may have grown
	}
	if err := runPass(ctx, opt, st, led, seen, read, sum); err != nil {
		return nil, err
	}
	if err := reportMissing(opt, st, led, sum); err != nil {
		return nil, err
	}
	return finish(st, sum, opt)
}

// openLedger opens opt.LedgerPath for this run's user store and source.
func openLedger(opt Options) (*ledger.Ledger, error) {
	b := ledger.Binding{UserStoreID: opt.UserStoreID, Source: opt.SourceName}
	if b.Source == "" {
		b.Source = ledger.DefaultSource(opt.Spec.KeyField(), opt.Spec.LegacyIDAttribute())
	}
	led, err := ledger.Open(opt.LedgerPath, b)
	if err == nil && led.Adopted {
		opt.Logger.Info("adopted a ledger of the previous version: it is now bound to this user store, its keys to this source",
			"ledger", opt.LedgerPath, "user_store", b.UserStoreID, "source", b.Source)
	}
	return led, err
}

// fingerprint identifies the job a state directory is for. Whether the input still holds what the
// snapshot's cursor was taken from, the source checks when it opens there.
func fingerprint(opt Options) state.Fingerprint {
	return state.Fingerprint{Input: opt.Input.Identity(), MappingSHA256: opt.Spec.Hash(), UserStoreID: opt.UserStoreID}
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
func runPass(ctx context.Context, opt Options, st *checkpoint.State, led *ledger.Ledger, seen *dedup.Table, read *readProgress, sum *Summary) error {
	src, err := st.OpenSource(opt.Input)
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
	if opt.PrepareSpec != nil {
		if opt.Spec, err = opt.PrepareSpec(ctx, opt.Spec); err != nil {
			return err
		}
	}
	waitInDoubt(ctx, opt, st)
	pacer, api := newPacedAPI(opt)
	cfg := checkpoint.SettlerConfig{Progress: opt.Progress, Size: opt.Input.Size(), Observer: opt.Observer, Now: opt.Now,
		Rate: func() float64 { return pacer.Rate(ciam.ActionCreateUser) }}
	cfg.Ledger = ledgers{seen} // the duplicate table's identifiers are flushed at each checkpoint, like the ledger's keys
	if led != nil {
		cfg.Ledger = ledgers{seen, led}
	}
	set := st.Settler(cfg)
	// Not done until this pass reads to the end again: a finished main pass
	// reads on (the input may have grown), and a checkpoint taken meanwhile
	// must not let a retry pass start before the new rows are read.
	st.Snap.Done = false
	p := newPipeline(st.Snap.Pass)
	p.src, p.spec, p.inflight, p.ledger, p.maxRows, p.policy = src, opt.Spec, newInflight(st.InFlight), led, opt.MaxRows, opt.OnConflict
	p.cursor, p.seen, p.at = st.Snap.Cursor, seen, read
	p.at.pos.Store(st.Snap.Pos)
	p.settle = func(j *sink.Row, r sink.Result) error {
		r.Entry.Seen = seen.Take(j.Rec.ID) // the identifiers the row holds travel in its settle entry
		if err := set.Settle(r.Entry); err != nil {
			return err
		}
		if j.Gone {
			opt.Logger.Warn("row no longer in the source", "line", r.Entry.Line, "key", r.Entry.Key,
				"outcome", r.Entry.Outcome, "reason", r.Entry.Message)
		}
		if err := failOnConflict(opt.OnConflict, r.Entry); err != nil {
			p.halt(err) // settled and reported first: the next run goes on after it
		}
		return nil
	}
	var canaryRows []canary.Row
	if opt.Canary > 0 {
		p.canary, p.settle = canary.NewQuota(opt.Canary), p.canaryCollect(p.settle, &canaryRows)
	}
	p.Begin = func(ctx context.Context, j *sink.Row, name string) error {
		return set.Begin(ctx, state.Position{Line: j.Rec.Line, ID: j.Rec.ID, Sink: name, Key: j.User.Key, Digest: j.User.Digest()})
	}
	p.Cancel = func(ctx context.Context, j *sink.Row) error {
		return set.Cancel(ctx, state.Position{Line: j.Rec.Line, ID: j.Rec.ID, Key: j.User.Key})
	}
	p.sinks, p.route, p.queue = sinks(&p.Control, api, opt)
	callCtx, cancelCalls := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelCalls()
	finished := make(chan struct{})
	go p.watch(ctx, opt, cancelCalls, finished)
	runErr := p.run(callCtx)
	close(finished)
	sum.Stopped = p.stopReason(opt.Canary > 0)
	sum.LedgerChanged += p.ledgerChanged.Load()
	st.Snap.Done = sum.Stopped == ""
	if opt.Canary > 0 && sum.Stopped != StopFatal && sum.Stopped != StopInterrupted {
		var cerr error
		sum.Canary, sum.CanaryRead, cerr = checkCanary(callCtx, api, opt.UserStoreID, canaryRows)
		if cerr != nil {
			sum.Stopped, sum.Fatal = StopFatal, cerr.Error()
		} else {
			sum.Stopped = StopCanary // also when the input ended before the canary's rows
		}
	}
	if f := p.fatalErr(); f != nil {
		sum.Fatal = f.Error()
	}
	return errors.Join(runErr, set.Checkpoint())
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
	case <-p.Stopped:
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
