package checkpoint

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

func TestFreshStateWritesASnapshotFirst(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	defer st.Close()
	if st.Resumed {
		t.Error("a fresh state says resumed")
	}
	s := e.snapshot() // a journal never exists without a snapshot
	if s.Pass != 0 || s.Cursor != "" || s.Pos != 0 || s.JournalSize != 0 || len(s.Reports) != len(report.Files) ||
		s.Version != state.SnapshotVersion || s.Fingerprint != e.opt.config().Fingerprint {
		t.Errorf("fresh snapshot %+v", s)
	}
}

// A crash after a checkpoint: the journal's tail holds settles and begins
// the snapshot does not, and its last line is torn.
func TestResumeReplaysTheJournalTail(t *testing.T) {
	e := newResumeEnv(t, 6) // lines 2..7
	st := e.open()
	s := e.run(st)
	e.begin(s, 0)
	e.settle(s, 0, outcome.Created) // the first settle checkpoints
	e.begin(s, 1)
	e.settle(s, 1, outcome.Conflict)
	e.begin(s, 2)
	e.begin(s, 3)
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	snap := e.snapshot()
	if got, want := positions(snap.InFlight), e.ids(2, 3); !slices.Equal(got, want) {
		t.Fatalf("checkpoint in flight %v, want %v", got, want)
	}
	e.settle(s, 2, outcome.Created) // after the checkpoint: only in the journal
	e.begin(s, 4)
	if err := st.reports.Sync(); err != nil { // the report row is on disk too, past the snapshot's size
		t.Fatal(err)
	}
	st.Close() // crash: no further checkpoint
	appendFile(t, e.dir.Journal(), `{"op":"settle","line":9,"id":`)

	check := func(st *State) {
		t.Helper()
		if !st.Resumed {
			t.Error("not resumed")
		}
		c := st.Snap.Counts
		if c.Read() != 3 || c.Of(outcome.Created) != 2 || c.Of(outcome.Conflict) != 1 || c.Settled() != 3 {
			t.Errorf("counts %v, want 3 read: 2 created, 1 conflict", c)
		}
		if r := e.recs[2]; st.Snap.Cursor != r.Next || st.Snap.Line != r.Line || st.Snap.Pos != r.Pos {
			t.Errorf("resume at cursor %q line %d pos %d, want %q line %d pos %d", st.Snap.Cursor, st.Snap.Line, st.Snap.Pos, r.Next, r.Line, r.Pos)
		}
		if got, want := inflightIDs(st.InFlight), e.ids(3, 4); !slices.Equal(got, want) {
			t.Errorf("in flight %v, want %v (begun, never settled)", got, want)
		}
		if p := st.InFlight[e.pos(4).Slot()]; p != e.pos(4) {
			t.Errorf("in-flight position %+v, want %+v: the row's, with its key and digest, in the sink that began it", p, e.pos(4))
		}
		if err := st.reports.Sync(); err != nil {
			t.Fatal(err)
		}
		want := map[string][]int64{report.CreatedFile: {2, 4}, report.ConflictsFile: {3}}
		if got := e.reports(); !maps.EqualFunc(got, want, slices.Equal) {
			t.Errorf("reports %v, want %v: every settled row exactly once", got, want)
		}
		data, err := os.ReadFile(e.dir.Journal())
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 || data[len(data)-1] != '\n' || strings.Contains(string(data), `"line":9`) {
			t.Errorf("journal not cut back to its last whole line: ...%q", data[max(0, len(data)-60):])
		}
	}
	st2 := e.open()
	check(st2)
	st2.Close()
	st3 := e.open() // replaying again changes nothing
	check(st3)

	// The next checkpoint keeps the rows still in doubt, although their
	// begins are now behind its journal size.
	if err := e.run(st3).Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st3.Close()
	if got, want := positions(e.snapshot().InFlight), e.ids(3, 4); !slices.Equal(got, want) {
		t.Errorf("checkpoint after resume holds in flight %v, want %v", got, want)
	}
}

// A resume is refused when the state was made for another job: another
// mapping, user store or input (by the fingerprint, before anything is
// opened), or an input whose rows before the resume point changed (by the
// source, when it opens at the snapshot's cursor).
func TestResumeRefusesAnotherJob(t *testing.T) {
	otherMapping := func(t *testing.T, o *options) {
		spec, err := mapping.Parse("m.yaml", []byte(fixture.Mapping+"  Nickname: { const: x }\n"))
		if err != nil {
			t.Fatal(err)
		}
		o.Spec = spec
	}
	tests := []struct {
		name   string
		skip   string // why the source cannot detect this change yet
		change func(t *testing.T, e *resumeEnv, o *options)
		diff   string
	}{
		{name: "mapping", change: func(t *testing.T, _ *resumeEnv, o *options) { otherMapping(t, o) }, diff: "mapping changed"},
		{name: "user store", change: func(_ *testing.T, _ *resumeEnv, o *options) { o.Store = "store-2" },
			diff: `user store changed from "store-1" to "store-2"`},
		{name: "format", change: func(t *testing.T, e *resumeEnv, o *options) { o.Input = fileInput(t, e.path, "jsonl") },
			diff: `to "jsonl file `},
		{name: "input path", change: func(t *testing.T, e *resumeEnv, o *options) {
			data, _ := os.ReadFile(e.path)
			copied := filepath.Join(filepath.Dir(e.path), "copy.csv")
			if err := os.WriteFile(copied, data, 0o600); err != nil {
				t.Fatal(err)
			}
			o.Input = fileInput(t, copied, "csv")
		}, diff: "copy.csv"},
		{name: "input edited before the resume point",
			change: func(t *testing.T, e *resumeEnv, _ *options) {
				data, _ := os.ReadFile(e.path)
				data[len(fixture.CSVHeader)] = 'X' // same size, another first row
				if err := os.WriteFile(e.path, data, 0o600); err != nil {
					t.Fatal(err)
				}
			}, diff: "changed"},
		{name: "input shrank before the resume point", change: func(t *testing.T, e *resumeEnv, _ *options) {
			if err := os.Truncate(e.path, e.recs[0].End-1); err != nil {
				t.Fatal(err)
			}
		}, diff: "shorter"},
		{name: "input emptied", change: func(t *testing.T, e *resumeEnv, _ *options) {
			if err := os.Truncate(e.path, 0); err != nil {
				t.Fatal(err)
			}
		}, diff: "shorter"},
		{name: "mapping, with the input grown", change: func(t *testing.T, e *resumeEnv, o *options) {
			otherMapping(t, o)
			appendFile(t, e.path, csvRow(99))
		}, diff: "mapping changed"},
		{name: "user store, with the input grown", change: func(t *testing.T, e *resumeEnv, o *options) {
			o.Store = "store-2"
			appendFile(t, e.path, csvRow(99))
		}, diff: "user store changed"},
		{name: "input replaced by a longer one",
			change: func(t *testing.T, e *resumeEnv, _ *options) {
				data, _ := os.ReadFile(e.path)
				data[len(fixture.CSVHeader)] = 'X'
				if err := os.WriteFile(e.path, append(data, csvRow(99)...), 0o600); err != nil {
					t.Fatal(err)
				}
			}, diff: "changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skip != "" {
				t.Skip(tt.skip)
			}
			e := newResumeEnv(t, 3)
			st := e.open()
			s := e.run(st)
			e.begin(s, 0)
			e.settle(s, 0, outcome.Created)
			st.Close()
			before := e.snapshot()
			if before.Cursor != e.recs[0].Next {
				t.Fatalf("snapshot cursor %q, want past the first row", before.Cursor)
			}

			opt := e.opt
			tt.change(t, e, &opt)
			err := e.tryResume(opt)
			var me *MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("resume: %v, want a *MismatchError", err)
			}
			if !slices.ContainsFunc(me.Diffs, func(d string) bool { return strings.Contains(d, tt.diff) }) {
				t.Errorf("diffs %q, want one saying %q", me.Diffs, tt.diff)
			}
			if !strings.Contains(err.Error(), "--restart") || me.StateDir != e.dir.Path {
				t.Errorf("error %q does not name the state dir and --restart", err)
			}
			if after := e.snapshot(); after.Cursor != before.Cursor || !maps.Equal(after.Counts, before.Counts) {
				t.Error("a refused resume changed the snapshot")
			}
		})
	}
}

func TestResumeAcceptsAGrownInput(t *testing.T) {
	e := newResumeEnv(t, 2)
	st := e.open()
	s := e.run(st)
	for i := range 2 {
		e.begin(s, i)
		e.settle(s, i, outcome.Created)
	}
	st.Snap.Done = true
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	oldFP := e.snapshot().Fingerprint

	appendFile(t, e.path, csvRow(4)) // tonight's export has one more user
	appendFile(t, e.path, csvRow(5))
	st2 := e.open()
	if !st2.Resumed {
		t.Error("a grown input did not resume")
	}
	if fp := st2.Snap.Fingerprint; fp != oldFP {
		t.Errorf("fingerprint %+v, want %+v: a grown input is the same job", fp, oldFP)
	}
	if st2.Snap.Cursor != e.recs[1].Next || st2.Snap.Counts.Of(outcome.Created) != 2 {
		t.Errorf("cursor %q counts %v: progress lost", st2.Snap.Cursor, st2.Snap.Counts)
	}
	src, err := st2.OpenSource(e.opt.Input)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := src.Next()
	if err != nil || rec.Line != 4 || rec.Fields["id"] != "K4" || rec.ID != strconv.FormatInt(e.recs[1].End, 10) {
		t.Errorf("first row after resuming: line %d %v (%v), want the new line 4", rec.Line, rec.Fields, err)
	}
	src.Close()
	st2.Close()

}

func TestRestartStartsOver(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	s := e.run(st)
	e.begin(s, 0)
	e.settle(s, 0, outcome.Created)
	e.begin(s, 1)
	e.settle(s, 1, outcome.Retryable)
	e.begin(s, 2)
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.WriteFile(e.dir.RetryQueue(), []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}

	st2 := e.open(restart)
	defer st2.Close()
	if st2.Resumed || st2.Snap.Cursor != "" || st2.Snap.Pos != 0 || len(st2.Snap.Counts) != 0 || len(st2.InFlight) != 0 {
		t.Errorf("restart kept progress: resumed %v cursor %q counts %v in flight %v",
			st2.Resumed, st2.Snap.Cursor, st2.Snap.Counts, st2.InFlight)
	}
	if got := e.reports(); len(got) != 0 {
		t.Errorf("reports after restart hold rows: %v", got)
	}
	if st2.journal.Size() != 0 {
		t.Errorf("journal holds %d bytes after restart", st2.journal.Size())
	}
	if _, err := os.Stat(e.dir.RetryQueue()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("retry queue survived the restart: %v", err)
	}
	if s := e.snapshot(); s.Cursor != "" || len(s.Counts) != 0 {
		t.Errorf("snapshot on disk after restart: %+v", s)
	}
}

func TestDamagedSnapshot(t *testing.T) {
	e := newResumeEnv(t, 2)
	e.open().Close()
	if err := os.WriteFile(e.dir.Snapshot(), []byte(`{"version":1,"offset":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tryOpen(); !errors.Is(err, state.ErrCorrupt) {
		t.Fatalf("open with a damaged snapshot: %v, want ErrCorrupt (never a silent restart)", err)
	}
	st, err := e.tryOpen(restart)
	if err != nil {
		t.Fatalf("--restart over a damaged snapshot: %v", err)
	}
	defer st.Close()
	if st.Resumed {
		t.Error("restart resumed")
	}
}

// The begin of a row is durable, and the row tracked for the next
// checkpoint, by the time begin returns: only then may its CreateUser go.
func TestSettlerBeginIsDurableOnReturn(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	defer st.Close()
	s := e.run(st)
	e.begin(s, 1)
	var begun []state.Entry
	if _, err := state.ReplayJournal(e.dir.Journal(), 0, func(en state.Entry, _ int64) error {
		begun = append(begun, en)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(begun) != 1 || begun[0].Op != state.OpBegin || begun[0].ID != e.recs[1].ID || begun[0].Line != 3 ||
		begun[0].Key != "K3" || begun[0].Sink != "create" || begun[0].RowDigest != e.pos(1).Digest || len(begun[0].RowDigest) != 32 {
		t.Errorf("journal on disk holds %+v, want the begin of line 3 in the create sink", begun)
	}
	if got := positions(s.tracker.list()); !slices.Equal(got, e.ids(1)) {
		t.Errorf("tracked in flight %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Begin(ctx, e.pos(2)); !errors.Is(err, context.Canceled) {
		t.Errorf("begin with a cancelled context: %v, want context.Canceled (the row must not be sent)", err)
	}
}

// A cancel voids a begin, durably on return: the row leaves the checkpoint's
// rows in flight, and a resume does not reconcile it but sends it as new.
func TestSettlerCancelVoidsTheBegin(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	s := e.run(st)
	e.begin(s, 0)
	e.begin(s, 1)
	if err := s.Checkpoint(); err != nil { // the snapshot holds both in flight
		t.Fatal(err)
	}
	if err := s.Cancel(context.Background(), e.pos(1)); err != nil {
		t.Fatal(err)
	}
	var ops []string
	if _, err := state.ReplayJournal(e.dir.Journal(), 0, func(en state.Entry, _ int64) error {
		ops = append(ops, en.Op+":"+en.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"begin:" + e.recs[0].ID, "begin:" + e.recs[1].ID, "cancel:" + e.recs[1].ID}; !slices.Equal(ops, want) {
		t.Errorf("journal on disk holds %v, want %v", ops, want)
	}
	if got := positions(s.tracker.list()); !slices.Equal(got, e.ids(0)) {
		t.Errorf("tracked in flight %v, want only the row not cancelled", got)
	}
	st.Close() // crash: the snapshot still names the cancelled row in flight

	st2 := e.open()
	defer st2.Close()
	if got := inflightIDs(st2.InFlight); !slices.Equal(got, e.ids(0)) {
		t.Errorf("in flight after resume %v, want only %v: a cancelled row is not in doubt", got, e.ids(0))
	}
	if err := e.run(st2).Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if got := positions(e.snapshot().InFlight); !slices.Equal(got, e.ids(0)) {
		t.Errorf("checkpoint after resume holds in flight %v", got)
	}
}
