package importer

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/ledger"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

func newTestPipeline(t *testing.T) *pipeline {
	t.Helper()
	p := newPipeline(1)
	p.spec, p.seen = testSpec(t), testSeen(t)
	return p
}

// testSeen is an empty duplicate table, closed with the test.
func testSeen(t *testing.T) *dedup.Table {
	t.Helper()
	seen, err := dedup.Open(t.TempDir(), dedup.Config{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { seen.Close() })
	return seen
}

// prepareRec maps rec as mapInOrder does (a malformed record is not
// mapped), then prepares it.
func prepareRec(p *pipeline, rec source.Record) (*sink.Row, bool) {
	var u *mapping.User
	var err error
	if rec.Err == nil {
		u, err = p.spec.Map(rec.Fields)
	}
	return p.prepare(rec, u, err)
}

func TestPrepare(t *testing.T) {
	badQuote := &source.RecordError{Line: 4, Column: 7, Field: "email", Err: source.ErrBadQuote}
	tests := []struct {
		name    string
		rec     source.Record
		call    bool
		outcome string
		check   func(t *testing.T, p *pipeline, j *sink.Row)
	}{
		{name: "good row goes to a sink", rec: recordAt(2, row(2)), call: true,
			check: func(t *testing.T, _ *pipeline, j *sink.Row) {
				if j.User == nil || j.User.Key != "K2" || j.User.PhoneNumber != "+86-13800000002" || j.Reconcile {
					t.Errorf("job %+v, user %+v", j, j.User)
				}
				if !j.MaybeSent { // pass 1 is a retry pass: a retryable row may have been in doubt
					t.Error("a retry pass's row is not taken for maybe sent")
				}
			}},
		{name: "malformed record", rec: func() source.Record {
			r := recordAt(4, map[string]any{"id": " K4 "})
			r.Err = badQuote
			return r
		}(), outcome: outcome.Rejected.Name,
			check: func(t *testing.T, _ *pipeline, j *sink.Row) {
				e := (j.Wait()).Entry
				if e.Key != "K4" || e.Field != "email" || e.Message != badQuote.Error() || e.Line != 4 || e.Pass != 1 ||
					e.ID != "400" || e.Next != "500:5" || e.Pos != 500 {
					t.Errorf("entry %+v", e)
				}
			}},
		{name: "row the mapping rejects", rec: recordAt(5, rowWith(5, "email", "not-an-email")), outcome: outcome.Rejected.Name,
			check: func(t *testing.T, _ *pipeline, j *sink.Row) {
				e := (j.Wait()).Entry
				if e.Key != "K5" || e.Field != "Email" || e.Message == "" {
					t.Errorf("entry %+v", e)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPipeline(t)
			j, call := prepareRec(p, tt.rec)
			if call != tt.call {
				t.Fatalf("call %v, want %v", call, tt.call)
			}
			if !call {
				r := j.Wait()
				if !r.Settled || r.Entry.Outcome != tt.outcome {
					t.Fatalf("sink.Result %+v, want settled %s", r, tt.outcome)
				}
				j.Finish(r) // for check
			}
			if tt.check != nil {
				tt.check(t, p, j)
			}
		})
	}
}

func TestPrepareDuplicate(t *testing.T) {
	p := newTestPipeline(t)
	if _, call := prepareRec(p, recordAt(2, row(2))); !call {
		t.Fatal("first row not sent")
	}
	j, call := prepareRec(p, recordAt(3, rowWith(3, "email", " U2@Example.com ")))
	if call {
		t.Fatal("duplicate email sent")
	}
	e := (j.Wait()).Entry
	if e.Outcome != outcome.Conflict.Name || e.Identifier != "email" || e.Code != "Local.DuplicateInInput" ||
		!strings.Contains(e.Message, "line 2") || e.Key != "K3" {
		t.Errorf("entry %+v", e)
	}
}

// A row begun by an earlier run is reconciled, never deduplicated away; but
// its identifiers must still count, or a later duplicate would be sent and
// could win the identifier from the earlier row.
func TestPrepareInFlightRowsHoldTheirIdentifiers(t *testing.T) {
	p := newTestPipeline(t)
	first := recordAt(2, row(2))
	p.inflight = newInflight(map[string]state.Position{first.ID: {Line: first.Line, ID: first.ID, Sink: sink.NameCreate}})
	j, call := prepareRec(p, first)
	if !call || !j.Reconcile || j.Sink != sink.NameCreate {
		t.Fatalf("in-flight row: call %v reconcile %v sink %q, want both, back to the sink that began it", call, j.Reconcile, j.Sink)
	}
	dup, call := prepareRec(p, recordAt(3, rowWith(3, "email", "u2@example.com")))
	if call {
		t.Fatal("a duplicate of an in-flight row was sent")
	}
	if e := (dup.Wait()).Entry; e.Outcome != outcome.Conflict.Name || e.Identifier != "email" || !strings.Contains(e.Message, "line 2") {
		t.Errorf("entry %+v", e)
	}
}

func TestPrepareLedger(t *testing.T) {
	l, err := ledger.Open(filepath.Join(t.TempDir(), "ledger.db"), ledger.Binding{UserStoreID: "store", Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.Add("K2", "uid-2")
	at := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	if err := l.Flush(at); err != nil {
		t.Fatal(err)
	}
	p := newTestPipeline(t)
	p.ledger = l
	j, call := prepareRec(p, recordAt(2, row(2)))
	if call {
		t.Fatal("a row in the ledger was sent")
	}
	e := (j.Wait()).Entry
	if e.Outcome != outcome.Skipped.Name || e.UserID != "uid-2" || !strings.Contains(e.Message, "2026-03-04 05:06") {
		t.Errorf("entry %+v", e)
	}
	// Rows the ledger skips still hold their identifiers against later rows.
	dup, call := prepareRec(p, recordAt(3, rowWith(3, "name", "user2")))
	if call {
		t.Fatal("a duplicate of a ledger row was sent")
	}
	if e := (dup.Wait()).Entry; e.Outcome != outcome.Conflict.Name || e.Identifier != "user_name" {
		t.Errorf("entry %+v", e)
	}
	if _, call := prepareRec(p, recordAt(4, row(4))); !call {
		t.Error("a row not in the ledger was not sent")
	}
}

func TestPrepareLedgerFailureHalts(t *testing.T) {
	l, err := ledger.Open(filepath.Join(t.TempDir(), "ledger.db"), ledger.Binding{UserStoreID: "store", Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	l.Close() // every lookup now fails
	p := newTestPipeline(t)
	p.ledger = l
	j, call := prepareRec(p, recordAt(2, row(2)))
	if call {
		t.Fatal("row sent although the ledger failed")
	}
	if r := j.Wait(); r.Settled {
		t.Errorf("row settled as %s; it must be sink.Abandoned", r.Entry.Outcome)
	}
	if f := p.fatalErr(); f == nil {
		t.Error("the ledger failure did not halt the pipeline")
	}
}

// A mapping error that is not the row's fault (the password generator
// failed) stops the run; the row is abandoned for the next run.
func TestPrepareMappingFailureHalts(t *testing.T) {
	p := newTestPipeline(t)
	boom := errors.New("generate password: entropy source failed")
	j, call := p.prepare(recordAt(2, row(2)), nil, boom)
	if call {
		t.Fatal("row sent although its mapping failed")
	}
	if r := j.Wait(); r.Settled {
		t.Errorf("row settled as %s; it must be sink.Abandoned", r.Entry.Outcome)
	}
	if f := p.fatalErr(); !errors.Is(f, boom) || !strings.Contains(f.Error(), "line 2") {
		t.Errorf("fatal %v, want the mapping failure of line 2", f)
	}
}
