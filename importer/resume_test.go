package importer

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

func TestFreshStateWritesASnapshotFirst(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	defer st.close()
	if st.resumed {
		t.Error("a fresh state says resumed")
	}
	s := e.snapshot() // a journal never exists without a snapshot
	if s.Pass != 0 || s.Offset != 0 || s.JournalSize != 0 || len(s.Reports) != len(report.Files) {
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
	e.settle(s, 0, OutcomeCreated) // the first settle checkpoints
	e.begin(s, 1)
	e.settle(s, 1, OutcomeConflict)
	e.begin(s, 2)
	e.begin(s, 3)
	if err := s.checkpoint(); err != nil {
		t.Fatal(err)
	}
	snap := e.snapshot()
	if got, want := positions(snap.InFlight), []int64{e.recs[2].Offset, e.recs[3].Offset}; !slices.Equal(got, want) {
		t.Fatalf("checkpoint in flight %v, want %v", got, want)
	}
	e.settle(s, 2, OutcomeCreated) // after the checkpoint: only in the journal
	e.begin(s, 4)
	if err := st.reports.Sync(); err != nil { // the report row is on disk too, past the snapshot's size
		t.Fatal(err)
	}
	st.close() // crash: no further checkpoint
	appendFile(t, e.dir.Journal(), `{"op":"settle","line":9,"off":`)

	check := func(st *runState) {
		t.Helper()
		if !st.resumed {
			t.Error("not resumed")
		}
		c := st.snap.Counts
		if c.Read != 3 || c.Created != 2 || c.Conflict != 1 {
			t.Errorf("counts %+v, want 3 read: 2 created, 1 conflict", c)
		}
		if st.snap.Offset != e.recs[2].End || st.snap.Line != e.recs[2].EndLine {
			t.Errorf("resume at offset %d line %d, want %d line %d", st.snap.Offset, st.snap.Line, e.recs[2].End, e.recs[2].EndLine)
		}
		if got, want := offsets(st.inflight), []int64{e.recs[3].Offset, e.recs[4].Offset}; !slices.Equal(got, want) {
			t.Errorf("in flight %v, want %v (begun, never settled)", got, want)
		}
		if p := st.inflight[e.recs[4].Offset]; p.Line != e.recs[4].Line || p.End != e.recs[4].End {
			t.Errorf("in-flight position %+v, want the row's", p)
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
	st2.close()
	st3 := e.open() // replaying again changes nothing
	check(st3)

	// The next checkpoint keeps the rows still in doubt, although their
	// begins are now behind its journal size.
	if err := e.run(st3).checkpoint(); err != nil {
		t.Fatal(err)
	}
	st3.close()
	if got, want := positions(e.snapshot().InFlight), []int64{e.recs[3].Offset, e.recs[4].Offset}; !slices.Equal(got, want) {
		t.Errorf("checkpoint after resume holds in flight %v, want %v", got, want)
	}
}

func TestResumeRefusesAnotherJob(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, e *resumeEnv, o *Options)
		diff   string
	}{
		{"mapping", func(t *testing.T, _ *resumeEnv, o *Options) {
			spec, err := mapping.Parse("m.yaml", []byte(testMapping+"  Nickname: { const: x }\n"))
			if err != nil {
				t.Fatal(err)
			}
			o.Spec = spec
		}, "mapping changed"},
		{"user store", func(_ *testing.T, _ *resumeEnv, o *Options) { o.UserStoreID = "store-2" }, `user store changed from "store-1" to "store-2"`},
		{"format", func(_ *testing.T, _ *resumeEnv, o *Options) { o.Format = "jsonl" }, "input format changed"},
		{"input path", func(t *testing.T, e *resumeEnv, o *Options) {
			data, _ := os.ReadFile(e.opt.Input)
			o.Input = filepath.Join(filepath.Dir(e.opt.Input), "copy.csv")
			if err := os.WriteFile(o.Input, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "input path changed"},
		{"input edited", func(t *testing.T, e *resumeEnv, _ *Options) {
			data, _ := os.ReadFile(e.opt.Input)
			data[len(csvHeader)] = 'X' // same size, another first row
			if err := os.WriteFile(e.opt.Input, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "input head changed"},
		{"input shrank", func(t *testing.T, e *resumeEnv, _ *Options) {
			if err := os.Truncate(e.opt.Input, e.recs[1].End); err != nil {
				t.Fatal(err)
			}
		}, "input shrank"},
		{"mapping, with the input grown", func(t *testing.T, e *resumeEnv, o *Options) {
			spec, err := mapping.Parse("m.yaml", []byte(testMapping+"  Nickname: { const: x }\n"))
			if err != nil {
				t.Fatal(err)
			}
			o.Spec = spec
			appendFile(t, e.opt.Input, csvRow(99))
		}, "mapping changed"},
		{"user store, with the input grown", func(t *testing.T, e *resumeEnv, o *Options) {
			o.UserStoreID = "store-2"
			appendFile(t, e.opt.Input, csvRow(99))
		}, "user store changed"},
		{"input replaced by a longer one", func(t *testing.T, e *resumeEnv, _ *Options) {
			data, _ := os.ReadFile(e.opt.Input)
			data[len(csvHeader)] = 'X'
			if err := os.WriteFile(e.opt.Input, append(data, csvRow(99)...), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "input head changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newResumeEnv(t, 3)
			st := e.open()
			s := e.run(st)
			e.begin(s, 0)
			e.settle(s, 0, OutcomeCreated)
			st.close()
			before := e.snapshot()

			opt := e.opt
			tt.change(t, e, &opt)
			_, err := openState(e.dir, opt)
			var me *MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("open: %v, want a *MismatchError", err)
			}
			if !slices.ContainsFunc(me.Diffs, func(d string) bool { return strings.Contains(d, tt.diff) }) {
				t.Errorf("diffs %q, want one saying %q", me.Diffs, tt.diff)
			}
			if !strings.Contains(err.Error(), "--restart") || me.StateDir != e.dir.Path {
				t.Errorf("error %q does not name the state dir and --restart", err)
			}
			if after := e.snapshot(); after.Offset != before.Offset || after.Counts != before.Counts {
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
		e.settle(s, i, OutcomeCreated)
	}
	st.snap.Done = true
	if err := s.checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.close()
	oldSize := e.snapshot().Fingerprint.InputSize

	appendFile(t, e.opt.Input, csvRow(4)) // tonight's export has one more user
	st2 := e.open()
	defer st2.close()
	if st2.snap.Done || !st2.resumed {
		t.Errorf("done %v resumed %v: a grown input must reopen the finished pass", st2.snap.Done, st2.resumed)
	}
	if fp := st2.snap.Fingerprint; fp.InputSize != oldSize+int64(len(csvRow(4))) {
		t.Errorf("fingerprint size %d, want the grown input's", fp.InputSize)
	}
	if st2.snap.Offset != e.recs[1].End || st2.snap.Counts.Created != 2 {
		t.Errorf("offset %d counts %+v: progress lost", st2.snap.Offset, st2.snap.Counts)
	}
	src, err := st2.openSource(e.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rec, err := src.Next()
	if err != nil || rec.Line != 4 || rec.Fields["id"] != "K4" {
		t.Errorf("first row after resuming: line %d %v (%v), want the new line 4", rec.Line, rec.Fields, err)
	}
}

func TestRestartStartsOver(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	s := e.run(st)
	e.begin(s, 0)
	e.settle(s, 0, OutcomeCreated)
	e.begin(s, 1)
	e.settle(s, 1, OutcomeRetryable)
	e.begin(s, 2)
	if err := s.checkpoint(); err != nil {
		t.Fatal(err)
	}
	st.close()
	if err := os.WriteFile(e.dir.RetryQueue(), []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}

	st2 := e.open(restart)
	defer st2.close()
	if st2.resumed || st2.snap.Offset != 0 || st2.snap.Counts != (state.Counts{}) || len(st2.inflight) != 0 {
		t.Errorf("restart kept progress: resumed %v offset %d counts %+v in flight %v",
			st2.resumed, st2.snap.Offset, st2.snap.Counts, st2.inflight)
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
	if s := e.snapshot(); s.Offset != 0 || s.Counts != (state.Counts{}) {
		t.Errorf("snapshot on disk after restart: %+v", s)
	}
}

func TestDamagedSnapshot(t *testing.T) {
	e := newResumeEnv(t, 2)
	e.open().close()
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
	defer st.close()
	if st.resumed {
		t.Error("restart resumed")
	}
}

// The begin of a row is durable, and the row tracked for the next
// checkpoint, by the time begin returns: only then may its CreateUser go.
func TestSettlerBeginIsDurableOnReturn(t *testing.T) {
	e := newResumeEnv(t, 3)
	st := e.open()
	defer st.close()
	s := e.run(st)
	e.begin(s, 1)
	var begun []state.Entry
	if _, err := state.ReplayJournal(e.dir.Journal(), 0, func(en state.Entry, _ int64) error {
		begun = append(begun, en)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(begun) != 1 || begun[0].Op != state.OpBegin || begun[0].Offset != e.recs[1].Offset || begun[0].Key != "K3" {
		t.Errorf("journal on disk holds %+v, want the begin of line 3", begun)
	}
	if got := positions(s.tracker.list()); !slices.Equal(got, []int64{e.recs[1].Offset}) {
		t.Errorf("tracked in flight %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.begin(ctx, e.job(2)); !errors.Is(err, context.Canceled) {
		t.Errorf("begin with a cancelled context: %v, want context.Canceled (the row must not be sent)", err)
	}
}
