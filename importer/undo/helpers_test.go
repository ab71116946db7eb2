package undo

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
)

const store = "store-1"

// newStateDir writes a state directory whose created.csv lists created,
// and whose skipped.csv and updated.csv list users the run found or
// updated.
func newStateDir(t *testing.T, created, skipped, updated []string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	w, err := report.OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	line := int64(2)
	for _, set := range []struct {
		o   outcome.Outcome
		ids []string
	}{{outcome.Created, created}, {outcome.Skipped, skipped}, {outcome.Updated, updated}} {
		for _, id := range set.ids {
			if err := w.Write(set.o, &outcome.Row{Line: line, Key: "k" + id, UserID: id}); err != nil {
				t.Fatal(err)
			}
			line++
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ids returns n user ids u1..un.
func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return out
}

// config is a Run's configuration against fake, without pacing or waits.
func config(dir string, fake *ciamtest.Fake, batch int) Config {
	return Config{StateDir: dir, UserStoreID: store, API: fake, Batch: batch, Rate: 0,
		Backoff: func(int) time.Duration { return time.Millisecond }}
}

// runUndo runs an undo that must succeed.
func runUndo(t *testing.T, cfg Config) *Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("undo: %v", err)
	}
	return sum
}

// deleteCalls returns the ids of each DeleteUsers call, in order.
func deleteCalls(fake *ciamtest.Fake) [][]string {
	var out [][]string
	for _, c := range fake.Calls() {
		if c.Delete != nil {
			if c.Delete.UserStoreId != store {
				panic("DeleteUsers to store " + c.Delete.UserStoreId)
			}
			out = append(out, slices.Clone(c.Delete.UserIds))
		}
	}
	return out
}

// lookups returns the ids looked up with DescribeUserById, in order.
func lookups(fake *ciamtest.Fake) []string {
	var out []string
	for _, c := range fake.Calls() {
		if c.ByID != nil {
			out = append(out, c.ByID.UserId)
		}
	}
	return out
}

// readUndone returns undone.csv's rows by user id: outcome and message.
func readUndone(t *testing.T, dir string) map[string][2]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("undone.csv has mode %#o, want 0600", fi.Mode().Perm())
	}
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], reportHeader) {
		t.Errorf("undone.csv header %v", recs[0])
	}
	out := map[string][2]string{}
	for _, r := range recs[1:] {
		out[r[2]] = [2]string{r[3], r[4]}
	}
	return out
}

// inDoubt is the unclear answer of a DeleteUsers whose effect is unknown.
func inDoubt() *ciam.Error {
	return ciamtest.ClassErr(ciam.ActionDeleteUsers, ciam.InDoubt, "InternalError")
}
