package importer_test

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

const (
	samplesCSV  = "../samples/users.csv"
	mappingCSV  = "../samples/mapping-csv.yaml"
	fastRetries = 3
)

// env is an emulator plus a client of it, for one test.
type env struct {
	em     *emulator.Running
	client *ciam.Client
	spec   *mapping.Spec
	dir    string
}

func newEnv(t *testing.T, cfg emulator.Config) *env {
	t.Helper()
	em, err := emulator.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	client, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: cfg.SecretID, SecretKey: cfg.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := mapping.ParseFile(mappingCSV)
	if err != nil {
		t.Fatal(err)
	}
	return &env{em: em, client: client, spec: spec, dir: t.TempDir()}
}

// options for a fast run of the file input: unlimited rate, tiny backoff.
func (e *env) options(t *testing.T, input string) importer.Options {
	t.Helper()
	return importer.Options{
		Input: fileInput(t, input), Spec: e.spec, StateDir: e.dir, UserStoreID: emulator.DemoUserStore, API: e.client,
		Workers: 8, Retry: pace.RetryPolicy{MaxAttempts: fastRetries, BaseDelay: 1e6, MaxDelay: 5e6},
	}
}

// fileInput is the Input of the file at path, its format from its name, as
// the command builds it.
func fileInput(t *testing.T, path string) source.Input {
	t.Helper()
	in, err := source.NewFile(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func (e *env) run(t *testing.T, ctx context.Context, opt importer.Options) *importer.Summary {
	t.Helper()
	sum, err := importer.Run(ctx, opt)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sum
}

// reportLines reads the line column of every report, by report.
func reportLines(t *testing.T, dir string) map[string][]int64 {
	t.Helper()
	out := map[string][]int64{}
	for _, name := range report.Files {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(f)
		rows, err := r.ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, row := range rows[1:] {
			n, err := strconv.ParseInt(row[0], 10, 64)
			if err != nil {
				t.Fatalf("%s: line %q", name, row[0])
			}
			out[name] = append(out[name], n)
		}
	}
	return out
}

// inputLines lists the start line of every record of an input.
func inputLines(t *testing.T, path string) []int64 {
	t.Helper()
	src, err := source.Open(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var lines []int64
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return lines
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, rec.Line)
	}
}

// checkEveryRowOnce asserts every input row is in exactly one report and the
// counts add up.
func checkEveryRowOnce(t *testing.T, input, dir string, sum *importer.Summary) {
	t.Helper()
	seen := map[int64]string{}
	for name, lines := range reportLines(t, dir) {
		for _, l := range lines {
			if prev, dup := seen[l]; dup {
				t.Errorf("line %d is in %s and %s", l, prev, name)
			}
			seen[l] = name
		}
	}
	want := inputLines(t, input)
	for _, l := range want {
		if _, ok := seen[l]; !ok {
			t.Errorf("line %d is in no report", l)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("reports hold %d rows, input has %d", len(seen), len(want))
	}
	c := sum.Counts
	if c.Settled() != c.Read() || c.Read() != int64(len(want)) {
		t.Errorf("counts %v do not add up to %d rows", c, len(want))
	}
}

// checkCreatedMatchEmulator asserts created.csv and the emulator agree, user
// by user, and that no identity was created twice.
func checkCreatedMatchEmulator(t *testing.T, e *env) {
	t.Helper()
	users := e.em.Server.Users(emulator.DemoUserStore)
	byID := map[string]emulator.User{}
	for _, u := range users {
		byID[u.UserId] = u
	}
	f, err := os.Open(filepath.Join(e.dir, report.CreatedFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, row := range rows[1:] {
		key, id := row[1], row[2]
		u, ok := byID[id]
		if !ok {
			t.Errorf("created.csv: %s -> %s, not in the emulator", key, id)
			continue
		}
		if u.IndexedAttribute1 == nil || *u.IndexedAttribute1 != key {
			t.Errorf("created.csv: %s -> %s, but that user's legacy id is %v", key, id, u.IndexedAttribute1)
		}
		ids[id] = true
	}
	if len(ids) != len(users) || len(rows)-1 != len(users) {
		t.Errorf("created.csv has %d rows (%d distinct ids); the emulator holds %d users", len(rows)-1, len(ids), len(users))
	}
}

func errLocked() error { return state.ErrLocked }

// sendRecorder records the send times the pacer admitted for CreateUser.
type sendRecorder struct {
	mu   sync.Mutex
	sent []time.Time
}

func (r *sendRecorder) record(action string, at time.Time) {
	if action != ciam.ActionCreateUser {
		return
	}
	r.mu.Lock()
	r.sent = append(r.sent, at)
	r.mu.Unlock()
}

func (r *sendRecorder) times() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.sent...)
}
