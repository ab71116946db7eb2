package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// resumeEnv is an input file and a state directory, driven through Open
// and a settler the way a run drives them, minus the pipeline.
type resumeEnv struct {
	t     *testing.T
	path  string // the input file
	dir   state.Dir
	opt   options
	recs  []source.Record
	clock *fixture.Clock
}

// options are what a run would tell Open, and the input and mapping the
// env reads.
type options struct {
	Config
	Input source.Input
	Spec  *mapping.Spec
	Store string
}

// config is the Config of o: its fingerprint is the run's.
func (o options) config() Config {
	c := o.Config
	c.Fingerprint = state.Fingerprint{Input: o.Input.Identity(), MappingSHA256: o.Spec.Hash(), UserStoreID: o.Store}
	return c
}

var (
	csvRow      = fixture.CSVRow
	reportLines = fixture.ReportLines
	fileInput   = fixture.FileInput
)

// newResumeEnv writes an input of rows lines 2..rows+1.
func newResumeEnv(t *testing.T, rows int) *resumeEnv {
	t.Helper()
	root := t.TempDir()
	input := filepath.Join(root, "users.csv")
	fixture.WriteCSV(t, input, rows)
	dir := state.Dir{Path: filepath.Join(root, "state")}
	if err := os.Mkdir(dir.Path, 0o700); err != nil {
		t.Fatal(err)
	}
	clk := fixture.NewClock()
	e := &resumeEnv{t: t, path: input, dir: dir, clock: clk,
		opt: options{Input: fileInput(t, input, "csv"), Spec: fixture.Spec(t), Store: fixture.Store}}
	e.recs = e.readInput()
	return e
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

func (e *resumeEnv) open(mod ...func(*options)) *State {
	e.t.Helper()
	st, err := e.tryOpen(mod...)
	if err != nil {
		e.t.Fatalf("open state: %v", err)
	}
	return st
}

func (e *resumeEnv) tryOpen(mod ...func(*options)) (*State, error) {
	opt := e.opt
	for _, m := range mod {
		m(&opt)
	}
	return Open(e.dir, opt.config())
}

// tryResume opens the state and then the pass's source at its cursor, as
// runPass does: a source that finds its input changed refuses there.
func (e *resumeEnv) tryResume(opt options) error {
	st, err := Open(e.dir, opt.config())
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := st.OpenSource(opt.Input)
	if err != nil {
		return err
	}
	return src.Close()
}

func retryPass(o *options) { o.RetryPass = true }
func restart(o *options)   { o.Restart = true }

// run is a Settler over st, as a run makes it.
func (e *resumeEnv) run(st *State) *Settler {
	return st.Settler(SettlerConfig{Observer: nopObserver{}, Now: e.clock.Now, Size: e.opt.Input.Size()})
}

type nopObserver struct{}

func (nopObserver) Settled(string, int) {}
func (nopObserver) SetRate(float64)     {}

// key is the legacy key of record i, mapped.
func (e *resumeEnv) key(i int) string {
	e.t.Helper()
	u, err := e.opt.Spec.Map(e.recs[i].Fields)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.Key
}

// pos is the position of record i in the CreateUser sink, with its identity.
func (e *resumeEnv) pos(i int) state.Position {
	e.t.Helper()
	u, err := e.opt.Spec.Map(e.recs[i].Fields)
	if err != nil {
		e.t.Fatal(err)
	}
	return state.Position{Line: e.recs[i].Line, ID: e.recs[i].ID, Sink: "create", Key: u.Key, Digest: u.Digest()}
}

// entry starts the settle entry of record i, as a sink does.
func (e *resumeEnv) entry(i int, o outcome.Outcome, pass int) state.Entry {
	r := e.recs[i]
	return state.Entry{Op: state.OpSettle, Line: r.Line, ID: r.ID, Next: r.Next, Pos: r.Pos, Outcome: o.Name, Pass: pass, Key: e.key(i)}
}

func (e *resumeEnv) begin(s *Settler, i int) {
	e.t.Helper()
	if err := s.Begin(context.Background(), e.pos(i)); err != nil {
		e.t.Fatal(err)
	}
}

func (e *resumeEnv) settle(s *Settler, i int, o outcome.Outcome) {
	e.t.Helper()
	en := e.entry(i, o, s.pass)
	switch o.Name {
	case outcome.Created.Name:
		en.UserID = fmt.Sprintf("uid-%d", e.recs[i].Line)
	case outcome.Conflict.Name:
		en.Identifier = "email"
	case outcome.Retryable.Name:
		en.Code, en.Attempts = "InternalError", 3
	}
	if err := s.Settle(en); err != nil {
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
