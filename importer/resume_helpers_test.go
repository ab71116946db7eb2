package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// resumeEnv is an input file and a state directory, driven through
// openState and a settler the way runPass drives them, minus the pipeline.
type resumeEnv struct {
	t     *testing.T
	dir   state.Dir
	opt   Options
	recs  []source.Record
	clock *fakeClock
}

const csvHeader = "id,name,email,phone,pw\n"

func csvRow(n int) string {
	r := row(n)
	return fmt.Sprintf("%s,%s,%s,%s,%s\n", r["id"], r["name"], r["email"], r["phone"], r["pw"])
}

// newResumeEnv writes an input of rows lines 2..rows+1.
func newResumeEnv(t *testing.T, rows int) *resumeEnv {
	t.Helper()
	root := t.TempDir()
	input := filepath.Join(root, "users.csv")
	var b strings.Builder
	b.WriteString(csvHeader)
	for n := 2; n < rows+2; n++ {
		b.WriteString(csvRow(n))
	}
	if err := os.WriteFile(input, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := state.Dir{Path: filepath.Join(root, "state")}
	if err := os.Mkdir(dir.Path, 0o700); err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	e := &resumeEnv{t: t, dir: dir, clock: clk,
		opt: Options{Input: input, Format: "csv", Spec: testSpec(t), UserStoreID: testStore, Now: clk.Now}}
	e.recs = e.readInput()
	return e
}

func (e *resumeEnv) readInput() []source.Record {
	e.t.Helper()
	src, err := source.Open(e.opt.Input, source.Options{Format: "csv"})
	if err != nil {
		e.t.Fatal(err)
	}
	defer src.Close()
	var recs []source.Record
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return recs
		}
		if err != nil {
			e.t.Fatal(err)
		}
		recs = append(recs, rec)
	}
}

func (e *resumeEnv) open(mod ...func(*Options)) *runState {
	e.t.Helper()
	st, err := e.tryOpen(mod...)
	if err != nil {
		e.t.Fatalf("open state: %v", err)
	}
	return st
}

func (e *resumeEnv) tryOpen(mod ...func(*Options)) (*runState, error) {
	opt := e.opt
	for _, m := range mod {
		m(&opt)
	}
	return openState(e.dir, opt)
}

func retryPass(o *Options) { o.RetryPass = true }
func restart(o *Options)   { o.Restart = true }

// run is a settler over st, as runPass makes it.
func (e *resumeEnv) run(st *runState) *settler {
	return st.settler(e.opt, fastPacer(1))
}

// job is the job of record i, mapped.
func (e *resumeEnv) job(i int) *job {
	e.t.Helper()
	j := newJob(e.recs[i])
	u, err := e.opt.Spec.Map(e.recs[i].Fields)
	if err != nil {
		e.t.Fatal(err)
	}
	j.user = u
	return j
}

func (e *resumeEnv) begin(s *settler, i int) {
	e.t.Helper()
	if err := s.begin(context.Background(), e.job(i)); err != nil {
		e.t.Fatal(err)
	}
}

func (e *resumeEnv) settle(s *settler, i int, outcome string) {
	e.t.Helper()
	en := e.job(i).entry(outcome, s.pass)
	switch outcome {
	case OutcomeCreated:
		en.UserID = fmt.Sprintf("uid-%d", e.recs[i].Line)
	case OutcomeConflict:
		en.Identifier = "email"
	case OutcomeRetryable:
		en.Code, en.Attempts = "InternalError", 3
	}
	if err := s.settle(settledWith(en)); err != nil {
		e.t.Fatal(err)
	}
}

// snapshot reads the snapshot on disk.
func (e *resumeEnv) snapshot() *state.Snapshot {
	e.t.Helper()
	s, err := state.ReadSnapshot(e.dir.Snapshot())
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// reportLines reads the line column of report name (or of the retry queue).
func reportLines(t *testing.T, path string) []int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []int64
	for _, r := range rows[1:] {
		n, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			t.Fatalf("%s: line %q", path, r[0])
		}
		out = append(out, n)
	}
	return out
}

func (e *resumeEnv) reports() map[string][]int64 {
	e.t.Helper()
	out := map[string][]int64{}
	for _, name := range report.Files {
		if l := reportLines(e.t, e.dir.Report(name)); len(l) > 0 {
			out[name] = l
		}
	}
	return out
}

func offsets(m map[int64]state.Position) []int64 {
	return slices.Sorted(maps.Keys(m))
}

func positions(ps []state.Position) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.Offset)
	}
	return out
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
