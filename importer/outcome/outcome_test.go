package outcome

import (
	"slices"
	"testing"
)

func TestTableIsConsistent(t *testing.T) {
	names, files := map[string]bool{}, map[string]bool{}
	for _, o := range All {
		if o.Name == "" || o.File == "" || len(o.Columns) == 0 || o.Help == "" {
			t.Errorf("outcome %+v is incomplete", o.Name)
		}
		if names[o.Name] || files[o.File] || o.Name == ReadKey {
			t.Errorf("outcome %s: name or file used twice", o.Name)
		}
		names[o.Name], files[o.File] = true, true
		if got, ok := ByName(o.Name); !ok || got.File != o.File {
			t.Errorf("ByName(%q) = %v, %v", o.Name, got.File, ok)
		}
		if o.Columns[0].Name != "line" {
			t.Errorf("%s: the first column must be line, got %s", o.File, o.Columns[0].Name)
		}
	}
	if _, ok := ByName("nope"); ok {
		t.Error("ByName found an unknown outcome")
	}
	if !slices.Equal(Files()[:1], []string{"created.csv"}) {
		t.Errorf("Files() = %v", Files())
	}
}

func TestCountsVerdict(t *testing.T) {
	var c Counts
	if c.Verdict() != Done || c.Settled() != 0 || c.Read() != 0 {
		t.Fatal("zero counts are not all zero")
	}
	c.Add(ReadKey, 3)
	c.Add(Created.Name, 1)
	c.Add(Skipped.Name, 1)
	if c.Verdict() != Done {
		t.Errorf("created+skipped: verdict %v", c.Verdict())
	}
	c.Add(Rejected.Name, 1)
	if c.Verdict() != Attention {
		t.Errorf("with rejected: verdict %v", c.Verdict())
	}
	c.Add(Retryable.Name, 1)
	if c.Verdict() != Again || c.Settled() != 4 || c.Read() != 3 || c.Of(Created) != 1 {
		t.Errorf("counts %v: verdict %v settled %d", c, c.Verdict(), c.Settled())
	}
	d := c.Clone()
	d.Add(Created.Name, 5)
	if c.Of(Created) != 1 {
		t.Error("Clone shares its map")
	}
}

func TestRecord(t *testing.T) {
	r := &Row{Line: 7, ID: "120", Key: "K1", Code: "InternalError", Message: "m, \"q\"", Attempts: 6}
	got := Retryable.Record(r)
	want := []string{"7", "120", "K1", "InternalError", "m, \"q\"", "6"}
	if !slices.Equal(got, want) || !slices.Equal(Retryable.Header(), []string{"line", "id", "key", "code", "message", "attempts"}) {
		t.Errorf("Record = %q, Header = %q", got, Retryable.Header())
	}
}

func TestParseIsRecordsInverse(t *testing.T) {
	r := Row{Line: 7, ID: "120", Key: "K1", UserID: "u", RequestID: "q", Code: "c", Message: "m", Field: "f", Identifier: "i", Fields: "F", Attempts: 6, Pass: 2}
	for _, o := range All {
		got, err := o.Parse(o.Record(&r))
		if err != nil {
			t.Fatalf("%s: %v", o.Name, err)
		}
		if !slices.Equal(o.Record(&got), o.Record(&r)) || got.Line != 7 {
			t.Errorf("%s: Parse(Record(r)) = %+v", o.Name, got)
		}
		if _, ok := ByFile(o.File); !ok {
			t.Errorf("ByFile(%q) found nothing", o.File)
		}
	}
	if got, _ := Skipped.Parse([]string{"3", "k", "u", "why"}); got.Message != "why" {
		t.Errorf("reason is the message: %+v", got)
	}
	for _, rec := range [][]string{{"x", "1", "k", "c", "m", "1"}, {"1", "1", "k", "c", "m", "1.5"}, {"1", "1", "k"}} {
		if _, err := Retryable.Parse(rec); err == nil {
			t.Errorf("Parse(%q) took a bad record", rec)
		}
	}
	if _, ok := ByFile("nope.csv"); ok {
		t.Error("ByFile found an unknown report")
	}
}
