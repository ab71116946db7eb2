package importer_test

import (
	"context"
	"errors"
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
	"github.com/ciam-import/ciam-import/importer/ciam"
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
	sum := e.run(t, context.Background(), e.options(samplesCSV))
	if !sum.Done || sum.Stopped != "" {
		t.Fatalf("summary %+v: not done", sum)
	}
	c := sum.Counts
	if c.Read != 300 || c.Rejected != 15 || c.Conflict != 4 || c.Created != 281 || c.Retryable != 0 {
		t.Errorf("counts %+v, want 300 read = 281 created + 4 conflict + 15 rejected", c)
	}
	if got := importer.ExitCode(sum); got != importer.ExitPartial {
		t.Errorf("exit code %d, want %d (partial)", got, importer.ExitPartial)
	}
	checkEveryRowOnce(t, samplesCSV, e.dir, sum)
	checkCreatedMatchEmulator(t, e)

	again := e.run(t, context.Background(), e.options(samplesCSV))
	if again.Settled != 0 || again.Counts != sum.Counts {
		t.Errorf("a re-run of a finished job settled %d rows, counts %+v", again.Settled, again.Counts)
	}
}

func TestRunSurvivesFaultsWithoutDuplicates(t *testing.T) {
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{ErrorRate: 0.1, DropRate: 0.1, LoseResponseRate: 0.15,
		ErrorCodes: []string{"InternalError", "RequestLimitExceeded"}}
	e := newEnv(t, cfg)
	opt := e.options(samplesCSV)
	opt.Retry.MaxAttempts = 8
	sum := e.run(t, context.Background(), opt)
	checkEveryRowOnce(t, samplesCSV, e.dir, sum)
	checkCreatedMatchEmulator(t, e)
	st := e.em.Server.Stats()
	if st.LostResponses == 0 || st.Dropped == 0 {
		t.Fatalf("faults not exercised: %+v", st)
	}
	if sum.Counts.Conflict != 4 {
		t.Errorf("%d conflicts, want only the 4 duplicates inside the input: a lost response must settle as created", sum.Counts.Conflict)
	}
}

func TestRunHoldsTheQuota(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 3 seconds")
	}
	cfg := emulator.DemoConfig() // 20 per second, sliding window
	e := newEnv(t, cfg)
	rec := &sendRecorder{}
	opt := e.options(samplesCSV)
	opt.PacerOpts = append(opt.PacerOpts, importer.WithSendHook(rec.record))
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
	if exit := importer.ExitCode(sum); exit != importer.ExitLimit {
		t.Errorf("exit %d, want %d", exit, importer.ExitLimit)
	}
}

func TestRunStopsOnFatalError(t *testing.T) {
	cfg := unlimited()
	e := newEnv(t, cfg)
	opt := e.options(samplesCSV)
	opt.UserStoreID = "00000000000000000000000000000000" // no such user store
	sum := e.run(t, context.Background(), opt)
	if sum.Stopped != importer.StopFatal || importer.ExitCode(sum) != importer.ExitFatal {
		t.Fatalf("stopped %q exit %d, want fatal", sum.Stopped, importer.ExitCode(sum))
	}
	if sum.Counts.Created != 0 || sum.Counts.Retryable != 0 {
		t.Errorf("counts %+v: a fatal error must not mark rows", sum.Counts)
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
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 2 * time.Millisecond, LatencyP99: 20 * time.Millisecond}
	e := newEnv(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := e.options(samplesCSV)
	opt.API = &callTrigger{API: e.client, n: 60, fn: cancel} // the graceful stop of a first SIGINT
	first := e.run(t, ctx, opt)
	if first.Stopped != importer.StopInterrupted || first.Done {
		t.Fatalf("first run: stopped %q done %v, want interrupted", first.Stopped, first.Done)
	}
	if first.Counts.Read >= 300 {
		t.Fatalf("first run read everything (%d rows) before the interrupt", first.Counts.Read)
	}
	st, err := importer.ReadStatus(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if s := st.Snapshot; s.Offset == 0 || s.Line < first.Counts.Read {
		t.Errorf("checkpoint at byte %d line %d after %d rows: the resume position must name its line", s.Offset, s.Line, first.Counts.Read)
	}
	second := e.run(t, context.Background(), e.options(samplesCSV))
	if !second.Resumed || !second.Done {
		t.Fatalf("second run: resumed %v done %v", second.Resumed, second.Done)
	}
	checkEveryRowOnce(t, samplesCSV, e.dir, second)
	checkCreatedMatchEmulator(t, e)
}

func TestAbortInFlightThenReconcile(t *testing.T) {
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 30 * time.Millisecond, LatencyP99: 80 * time.Millisecond}
	e := newEnv(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	abort := make(chan struct{})
	opt := e.options(samplesCSV)
	opt.Abort = abort
	opt.API = &callTrigger{API: e.client, n: 40, fn: func() { cancel(); close(abort) }} // second signal: cut the calls in flight
	first := e.run(t, ctx, opt)
	if first.Done {
		t.Fatal("first run finished before the abort")
	}
	second := e.run(t, context.Background(), e.options(samplesCSV))
	checkEveryRowOnce(t, samplesCSV, e.dir, second)
	checkCreatedMatchEmulator(t, e)
	if second.Counts.Conflict != 4 {
		t.Errorf("%d conflicts after reconciling aborted calls, want the 4 input duplicates", second.Counts.Conflict)
	}
}

func TestRetryPassSendsOnlyRetryableRows(t *testing.T) {
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{ErrorRate: 0.3, ErrorCodes: []string{"InternalError"}}
	e := newEnv(t, cfg)
	opt := e.options(samplesCSV)
	opt.Retry.MaxAttempts = 1
	first := e.run(t, context.Background(), opt)
	if first.Counts.Retryable == 0 {
		t.Fatal("no retryable rows; the test needs some")
	}
	if importer.ExitCode(first) != importer.ExitRetryable {
		t.Errorf("exit %d, want %d", importer.ExitCode(first), importer.ExitRetryable)
	}
	if err := e.em.Server.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	before := e.em.Server.Stats().Admitted
	opt = e.options(samplesCSV)
	opt.RetryPass = true
	second := e.run(t, context.Background(), opt)
	if second.Pass != 1 || second.Counts.Retryable != 0 {
		t.Fatalf("retry pass %d left %d retryable", second.Pass, second.Counts.Retryable)
	}
	if sent := e.em.Server.Stats().Admitted - before; sent != first.Counts.Retryable {
		t.Errorf("retry pass sent %d requests for %d retryable rows", sent, first.Counts.Retryable)
	}
	checkEveryRowOnce(t, samplesCSV, e.dir, second)
	checkCreatedMatchEmulator(t, e)
}

func TestSecondRunIsLockedOut(t *testing.T) {
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 5 * time.Millisecond}
	e := newEnv(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	opt := e.options(samplesCSV)
	opt.Progress = func(importer.Progress) { once.Do(func() { close(started) }) }
	done := make(chan error, 1)
	go func() { _, err := importer.Run(ctx, opt); done <- err }()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("first run made no progress")
	}
	_, err := importer.Run(context.Background(), e.options(samplesCSV))
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
	first := e.run(t, context.Background(), e.options(samplesCSV))
	opt := e.options(samplesCSV)
	opt.StateDir = t.TempDir() // tomorrow's run, its own state directory
	second := e.run(t, context.Background(), opt)
	c := second.Counts
	if c.Skipped != first.Counts.Created || c.Created != 0 || c.Conflict != first.Counts.Conflict {
		t.Errorf("second import: %+v; want the %d users of the first skipped, none created, the same %d conflicts",
			c, first.Counts.Created, first.Counts.Conflict)
	}
	checkEveryRowOnce(t, samplesCSV, opt.StateDir, second)
	if n := len(e.em.Server.Users(emulator.DemoUserStore)); int64(n) != first.Counts.Created {
		t.Errorf("the emulator holds %d users after two imports of the same rows, want %d", n, first.Counts.Created)
	}
}

func TestLedgerSkipsWithoutRequests(t *testing.T) {
	e := newEnv(t, unlimited())
	ledger := filepath.Join(t.TempDir(), "ledger.db")
	opt := e.options(samplesCSV)
	opt.LedgerPath = ledger
	first := e.run(t, context.Background(), opt)
	before := e.em.Server.Stats().Admitted
	opt.StateDir = t.TempDir()
	second := e.run(t, context.Background(), opt)
	if sent := e.em.Server.Stats().Admitted - before; sent != 0 {
		t.Errorf("the second import sent %d requests (%+v); the ledger should have skipped every imported row", sent, e.em.Server.Stats())
	}
	if second.Counts.Skipped != first.Counts.Created {
		t.Errorf("skipped %d, want the %d users imported by the first run", second.Counts.Skipped, first.Counts.Created)
	}
	checkEveryRowOnce(t, samplesCSV, opt.StateDir, second)
}

func TestJournalRotatesAndResumes(t *testing.T) {
	defer importer.SetJournalRotateAt(2 << 10)() // rotate at every checkpoint past 2 KiB
	cfg := unlimited()
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: 20 * time.Millisecond, LatencyP99: 60 * time.Millisecond,
		LoseResponseRate: 0.1}
	e := newEnv(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	abort := make(chan struct{})
	opt := e.options(samplesCSV)
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
	second := e.run(t, context.Background(), e.options(samplesCSV))
	checkEveryRowOnce(t, samplesCSV, e.dir, second)
	checkCreatedMatchEmulator(t, e)
	if second.Counts.Conflict != 4 {
		t.Errorf("%d conflicts, want the 4 input duplicates", second.Counts.Conflict)
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
	_, err := importer.Run(context.Background(), e.options(input))
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
	opt := e.options(input)
	opt.Rate = 0
	sum := e.run(t, context.Background(), opt)
	if sum.Counts.Created != 3000 || !sum.Done {
		t.Fatalf("counts %+v, want 3000 created", sum.Counts)
	}
	checkEveryRowOnce(t, input, e.dir, sum)
	checkCreatedMatchEmulator(t, e)
	t.Logf("%d creates in %.1fs: %.0f/s under the race detector", sum.Counts.Created, sum.Elapsed, sum.Requests)
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
	sum, err := importer.Validate(context.Background(), importer.ValidateOptions{Input: samplesCSV, Spec: spec, ReportDir: dir, Rate: 20})
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
