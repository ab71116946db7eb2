package importer_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/mapping"
)

func unlimited() emulator.Config {
	cfg := emulator.DemoConfig()
	cfg.Rate = 0
	cfg.Seed = 7
	return cfg
}

func TestRunImportsSamples(t *testing.T) {
	e := newEnv(t, unlimited())
	sum := e.run(t, context.Background(), e.options(t, samplesCSV))
	if !sum.Done || sum.Stopped != "" {
		t.Fatalf("summary %+v: not done", sum)
	}
	c := sum.Counts
	if c.Read() != 300 || c.Of(outcome.Rejected) != 15 || c.Of(outcome.Conflict) != 4 || c.Of(outcome.Created) != 281 ||
		c.Of(outcome.Retryable) != 0 {
		t.Errorf("counts %v, want 300 read = 281 created + 4 conflict + 15 rejected", c)
	}
	if got := sum.Outcome(); got != "partial" {
		t.Errorf("outcome %q, want partial", got)
	}
	checkEveryRowOnce(t, samplesCSV, e.dir, sum)
	checkCreatedMatchEmulator(t, e)

	opt := e.options(t, samplesCSV)
	opt.ExitCode = func(s *importer.Summary) int { return 40 + int(s.Settled) } // the command's hook; the history records it
	again := e.run(t, context.Background(), opt)
	if again.Settled != 0 || !maps.Equal(again.Counts, sum.Counts) {
		t.Errorf("a re-run of a finished job settled %d rows, counts %v", again.Settled, again.Counts)
	}
	st, err := importer.ReadStatus(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(st.Runs); n != 2 || st.Runs[0].ExitCode != 0 || st.Runs[1].ExitCode != 40 || st.Runs[1].Outcome != "partial" {
		t.Errorf("run history %+v, want two runs, the second with the hook's exit code 40, partial", st.Runs)
	}
}

func TestRunSurvivesFaultsWithoutDuplicates(t *testing.T) {
	forEachStore(t, unlimited(), func(t *testing.T, cfg emulator.Config, strict bool) {
		cfg.Faults.CreateUser = emulator.FaultSpec{ErrorRate: 0.1, DropRate: 0.1, LoseResponseRate: 0.15,
			ErrorCodes: []string{"InternalError", "RequestLimitExceeded"}}
		e := newEnv(t, cfg)
		opt := e.options(t, samplesCSV)
		opt.Retry.MaxAttempts = 8
		sum := e.run(t, context.Background(), opt)
		checkEveryRowOnce(t, samplesCSV, e.dir, sum)
		checkCreatedMatchEmulator(t, e)
		st := e.em.Server.Stats()
		if st.LostResponses == 0 || st.Dropped == 0 {
			t.Fatalf("faults not exercised: %+v", st)
		}
		if n := sum.Counts.Of(outcome.Conflict); n != 4 {
			t.Errorf("%d conflicts, want only the 4 duplicates inside the input: a lost response must settle as created", n)
		}
		checkStoreRejections(t, sum, strict)
	})
}

func TestRunHoldsTheQuota(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 3 seconds")
	}
	cfg := emulator.DemoConfig() // 20 per second, sliding window
	e := newEnv(t, cfg)
	rec := &sendRecorder{}
	opt := e.options(t, samplesCSV)
	opt.PacerOpts = append(opt.PacerOpts, pace.WithSendHook(rec.record))
	opt.Rate = 20
	opt.MaxRows = 70
	sum := e.run(t, context.Background(), opt)
	if sum.Stopped != importer.StopMaxRows {
		t.Fatalf("stopped %q, want max-rows", sum.Stopped)
	}
	sent := rec.times()
	if got := emulator.MaxPerWindow(sent, time.Second); got > 20 {
		t.Errorf("we admitted %d CreateUser calls in one second, quota 20", got)
	}
	if len(sent) < 50 {
		t.Fatalf("only %d calls sent", len(sent))
	}
	if st := e.em.Server.Stats(); st.RateLimited*5 > st.Admitted { // scheduling jitter under -race may cost a few refusals, no more
		t.Errorf("%d of %d requests refused for rate", st.RateLimited, st.Admitted)
	}
	if got := sum.Outcome(); got != importer.StopMaxRows {
		t.Errorf("outcome %q, want %q", got, importer.StopMaxRows)
	}
}

func TestRunStopsOnFatalError(t *testing.T) {
	cfg := unlimited()
	e := newEnv(t, cfg)
	opt := e.options(t, samplesCSV)
	opt.UserStoreID = "00000000000000000000000000000000" // no such user store
	sum := e.run(t, context.Background(), opt)
	if sum.Stopped != importer.StopFatal || sum.Outcome() != importer.StopFatal || !strings.Contains(sum.Fatal, "InvalidUserStore") {
		t.Fatalf("stopped %q outcome %q fatal %q, want fatal with the cause", sum.Stopped, sum.Outcome(), sum.Fatal)
	}
	if sum.Counts.Of(outcome.Created) != 0 || sum.Counts.Of(outcome.Retryable) != 0 {
		t.Errorf("counts %v: a fatal error must not mark rows", sum.Counts)
	}
	if n := e.em.Server.Stats().Admitted; n > 20 {
		t.Errorf("%d calls before stopping; want a few", n)
	}
}

// callTrigger runs fn once, when the n-th CreateUser call starts.
type callTrigger struct {
	importer.API
	n     int64
	calls atomic.Int64
	fn    func()
}

func (c *callTrigger) CreateUser(ctx context.Context, req *ciam.CreateUserRequest) (*ciam.CreateUserResponse, error) {
	if c.calls.Add(1) == c.n {
		c.fn()
	}
	return c.API.CreateUser(ctx, req)
}

func TestInterruptThenResume(t *testing.T) {
	forEachStore(t, unlimited(), func(t *testing.T, cfg emulator.Config, strict bool) {
		cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 2 * time.Millisecond, LatencyP99: 20 * time.Millisecond}
		e := newEnv(t, cfg)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		opt := e.options(t, samplesCSV)
		opt.API = &callTrigger{API: e.client, n: 60, fn: cancel} // the graceful stop of a first SIGINT
		first := e.run(t, ctx, opt)
		if first.Stopped != importer.StopInterrupted || first.Done {
			t.Fatalf("first run: stopped %q done %v, want interrupted", first.Stopped, first.Done)
		}
		if first.Counts.Read() >= 300 {
			t.Fatalf("first run read everything (%d rows) before the interrupt", first.Counts.Read())
		}
		st, err := importer.ReadStatus(e.dir)
		if err != nil {
			t.Fatal(err)
		}
		if s := st.Snapshot; s.Cursor == "" || s.Pos == 0 || s.Line < first.Counts.Read() {
			t.Errorf("checkpoint at cursor %q pos %d line %d after %d rows: the resume position must name its line",
				s.Cursor, s.Pos, s.Line, first.Counts.Read())
		}
		second := e.run(t, context.Background(), e.options(t, samplesCSV))
		if !second.Resumed || !second.Done {
			t.Fatalf("second run: resumed %v done %v", second.Resumed, second.Done)
		}
		checkEveryRowOnce(t, samplesCSV, e.dir, second)
		checkCreatedMatchEmulator(t, e)
		checkStoreRejections(t, second, strict)
	})
}

func TestAbortInFlightThenReconcile(t *testing.T) {
	forEachStore(t, unlimited(), func(t *testing.T, cfg emulator.Config, strict bool) {
		cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 30 * time.Millisecond, LatencyP99: 80 * time.Millisecond}
		e := newEnv(t, cfg)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		abort := make(chan struct{})
		opt := e.options(t, samplesCSV)
		opt.Abort = abort
		opt.API = &callTrigger{API: e.client, n: 40, fn: func() { cancel(); close(abort) }} // second signal: cut the calls in flight
		first := e.run(t, ctx, opt)
		if first.Done {
			t.Fatal("first run finished before the abort")
		}
		second := e.run(t, context.Background(), e.options(t, samplesCSV))
		checkEveryRowOnce(t, samplesCSV, e.dir, second)
		checkCreatedMatchEmulator(t, e)
		if n := second.Counts.Of(outcome.Conflict); n != 4 {
			t.Errorf("%d conflicts after reconciling aborted calls, want the 4 input duplicates", n)
		}
		checkStoreRejections(t, second, strict)
	})
}

func TestRetryPassSendsOnlyRetryableRows(t *testing.T) {
	forEachStore(t, unlimited(), func(t *testing.T, cfg emulator.Config, strict bool) {
		cfg.Faults.CreateUser = emulator.FaultSpec{ErrorRate: 0.3, ErrorCodes: []string{"InternalError"}}
		e := newEnv(t, cfg)
		opt := e.options(t, samplesCSV)
		opt.Retry.MaxAttempts = 1
		first := e.run(t, context.Background(), opt)
		retryable := first.Counts.Of(outcome.Retryable)
		if retryable == 0 {
			t.Fatal("no retryable rows; the test needs some")
		}
		if first.Outcome() != "retryable" {
			t.Errorf("outcome %q, want retryable", first.Outcome())
		}
		if err := e.em.Server.SetFaults(emulator.Faults{}); err != nil {
			t.Fatal(err)
		}
		before := e.em.Server.Stats().Admitted
		opt = e.options(t, samplesCSV)
		opt.RetryPass = true
		second := e.run(t, context.Background(), opt)
		if second.Pass != 1 || second.Counts.Of(outcome.Retryable) != 0 {
			t.Fatalf("retry pass %d left %d retryable", second.Pass, second.Counts.Of(outcome.Retryable))
		}
		if sent := e.em.Server.Stats().Admitted - before; sent != retryable {
			t.Errorf("retry pass sent %d requests for %d retryable rows", sent, retryable)
		}
		checkEveryRowOnce(t, samplesCSV, e.dir, second)
		checkCreatedMatchEmulator(t, e)
		checkStoreRejections(t, second, strict)
	})
}

func TestSecondRunIsLockedOut(t *testing.T) {
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 5 * time.Millisecond}
	e := newEnv(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	opt := e.options(t, samplesCSV)
	opt.Progress = func(importer.Progress) { once.Do(func() { close(started) }) }
	done := make(chan error, 1)
	go func() { _, err := importer.Run(ctx, opt); done <- err }()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("first run made no progress")
	}
	_, err := importer.Run(context.Background(), e.options(t, samplesCSV))
	if !errors.Is(err, errLocked()) {
		t.Errorf("second run: %v, want the state directory locked", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestAnotherStateDirSkipsUsersImportedBefore(t *testing.T) {
	e := newEnv(t, unlimited())
	first := e.run(t, context.Background(), e.options(t, samplesCSV))
	opt := e.options(t, samplesCSV)
	opt.StateDir = t.TempDir() // tomorrow's run, its own state directory
	second := e.run(t, context.Background(), opt)
	c, created := second.Counts, first.Counts.Of(outcome.Created)
	if c.Of(outcome.Skipped) != created || c.Of(outcome.Created) != 0 || c.Of(outcome.Conflict) != first.Counts.Of(outcome.Conflict) {
		t.Errorf("second import: %v; want the %d users of the first skipped, none created, the same %d conflicts",
			c, created, first.Counts.Of(outcome.Conflict))
	}
	checkEveryRowOnce(t, samplesCSV, opt.StateDir, second)
	if n := len(e.em.Server.Users(emulator.DemoUserStore)); int64(n) != created {
		t.Errorf("the emulator holds %d users after two imports of the same rows, want %d", n, created)
	}
}

func TestLedgerSkipsWithoutRequests(t *testing.T) {
	e := newEnv(t, unlimited())
	ledger := filepath.Join(t.TempDir(), "ledger.db")
	opt := e.options(t, samplesCSV)
	opt.LedgerPath = ledger
	first := e.run(t, context.Background(), opt)
	before := e.em.Server.Stats().Admitted
	opt.StateDir = t.TempDir()
	second := e.run(t, context.Background(), opt)
	if sent := e.em.Server.Stats().Admitted - before; sent != 0 {
		t.Errorf("the second import sent %d requests (%+v); the ledger should have skipped every imported row", sent, e.em.Server.Stats())
	}
	if second.Counts.Of(outcome.Skipped) != first.Counts.Of(outcome.Created) {
		t.Errorf("skipped %d, want the %d users imported by the first run", second.Counts.Of(outcome.Skipped), first.Counts.Of(outcome.Created))
	}
	checkEveryRowOnce(t, samplesCSV, opt.StateDir, second)
}

func TestJournalRotatesAndResumes(t *testing.T) {
	defer checkpoint.SetJournalRotateAt(2 << 10)() // rotate at every checkpoint past 2 KiB
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 20 * time.Millisecond, LatencyP99: 60 * time.Millisecond,
		LoseResponseRate: 0.1}
	e := newEnv(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	abort := make(chan struct{})
	opt := e.options(t, samplesCSV)
	opt.Abort = abort
	opt.Workers = 2 // slow enough for several one-second checkpoints
	opt.API = &callTrigger{API: e.client, n: 150, fn: func() { cancel(); close(abort) }}
	first := e.run(t, ctx, opt)
	if first.Done {
		t.Fatal("the first run finished before the abort")
	}
	st, err := importer.ReadStatus(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Snapshot.JournalGen == 0 {
		t.Fatalf("the journal never rotated (%d bytes)", st.Snapshot.JournalSize)
	}
	second := e.run(t, context.Background(), e.options(t, samplesCSV))
	checkEveryRowOnce(t, samplesCSV, e.dir, second)
	checkCreatedMatchEmulator(t, e)
	if n := second.Counts.Of(outcome.Conflict); n != 4 {
		t.Errorf("%d conflicts, want the 4 input duplicates", n)
	}
	journals, _ := filepath.Glob(filepath.Join(e.dir, "journal*.jsonl"))
	if len(journals) != 1 {
		t.Errorf("journals left: %v, want only the current generation", journals)
	}
}

func TestRunRefusesAHeaderTheMappingDoesNotFit(t *testing.T) {
	e := newEnv(t, unlimited())
	input := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(input, []byte("legacy_id,login,email\nK1,alice,alice@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := importer.Run(context.Background(), e.options(t, input))
	var se *mapping.SpecError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "mobile") {
		t.Fatalf("run: %v; want the mapping error naming the missing column", err)
	}
	if n := e.em.Server.Stats().Requests; n != 0 {
		t.Errorf("%d requests sent with a mapping that does not fit", n)
	}
}

// TestHeadroomShortUnderRace is the short form of make bench's headroom run:
// the quota lifted, --rate unlimited, a few thousand generated rows through
// the real client and the in-process emulator, under -race in make test.
func TestHeadroomShortUnderRace(t *testing.T) {
	e := newEnv(t, unlimited())
	spec, err := mapping.ParseFile("../bench/mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e.spec = spec
	input := filepath.Join(t.TempDir(), "users.csv")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	if err := sourcetest.WriteCSV(f, 3000, 11); err != nil {
		t.Fatal(err)
	}
	f.Close()
	opt := e.options(t, input)
	opt.Rate = 0
	sum := e.run(t, context.Background(), opt)
	if sum.Counts.Of(outcome.Created) != 3000 || !sum.Done {
		t.Fatalf("counts %v, want 3000 created", sum.Counts)
	}
	checkEveryRowOnce(t, input, e.dir, sum)
	checkCreatedMatchEmulator(t, e)
	t.Logf("%d creates in %.1fs: %.0f/s under the race detector", sum.Counts.Of(outcome.Created), sum.Elapsed, sum.Requests)
}

// TestValidateInParallelKeepsInputOrder: validate maps on every core, yet
// counts, duplicates ("same email as line N") and report order are those of
// one reader going through the file.
func TestValidateInParallelKeepsInputOrder(t *testing.T) {
	defer importer.SetMapBatchSize(7)() // 43 batches over the mappers
	spec, err := mapping.ParseFile(mappingCSV)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := importer.Validate(context.Background(), importer.ValidateOptions{Input: fileInput(t, samplesCSV), Spec: spec, ReportDir: dir, Rate: 20})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 300 || sum.Valid != 281 || sum.Rejected != 15 || sum.Duplicates != 4 {
		t.Fatalf("validate: %+v, want 300 rows = 281 valid + 15 rejected + 4 duplicates", sum)
	}
	for name, lines := range reportLines(t, dir) {
		if !slices.IsSorted(lines) {
			t.Errorf("%s is not in input order: %v", name, lines)
		}
	}
}
