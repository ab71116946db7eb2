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

	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// resumeEnv is an input file and a state directory, driven through
// openState and a settler the way runPass drives them, minus the pipeline.
type resumeEnv struct {
	t     *testing.T
	path  string // the input file
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
	e := &resumeEnv{t: t, path: input, dir: dir, clock: clk,
		opt: Options{Input: fileInput(t, input, "csv"), Spec: testSpec(t), UserStoreID: testStore, Now: clk.Now}}
	e.recs = e.readInput()
	return e
}

// fileInput is the Input of the file at path, as the command builds it.
func fileInput(t testing.TB, path, format string) source.Input {
	t.Helper()
	in, err := source.NewFile(path, source.Options{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// readInput reads every record of the input from the start, named (ID,
// Next, Pos) as a run names them.
func (e *resumeEnv) readInput() []source.Record {
	e.t.Helper()
	src, err := e.opt.Input.Open("")
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

// tryResume opens the state and then the pass's source at its cursor, as
// runPass does: a source that finds its input changed refuses there.
func (e *resumeEnv) tryResume(opt Options) error {
	st, err := openState(e.dir, opt)
	if err != nil {
		return err
	}
	defer st.close()
	src, err := st.openSource(opt)
	if err != nil {
		return err
	}
	return src.Close()
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
	if err := s.begin(context.Background(), e.job(i), sinkCreate); err != nil {
		e.t.Fatal(err)
	}
}

func (e *resumeEnv) settle(s *settler, i int, o outcome.Outcome) {
	e.t.Helper()
	en := e.job(i).entry(o, s.pass)
	switch o.Name {
	case outcome.Created.Name:
		en.UserID = fmt.Sprintf("uid-%d", e.recs[i].Line)
	case outcome.Conflict.Name:
		en.Identifier = "email"
	case outcome.Retryable.Name:
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

// inflightIDs lists the ids of rows in flight, in input order.
func inflightIDs(m map[string]state.Position) []string {
	return positions(slices.Collect(maps.Values(m)))
}

// positions lists the ids of ps, in input order.
func positions(ps []state.Position) []string {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b state.Position) int { return int(a.Line - b.Line) })
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// ids lists the ids of records i... of the input.
func (e *resumeEnv) ids(i ...int) []string {
	var out []string
	for _, k := range i {
		out = append(out, e.recs[k].ID)
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
