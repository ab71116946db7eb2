package importer_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
)

// identityRow is a good row of the sample mapping with legacy key CRM-9<n>.
func identityRow(n int) string {
	return fmt.Sprintf("CRM-9%05d,user_%d,user_%d@example.com,1878199%04d,\"p@ssw0rd,%d\",Name %d,,,,,Sales,3,Y,E%05d,\n", n, n, n, n, n, n, n)
}

func writeIdentityInput(t *testing.T, path string, ns ...int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("legacy_id,login,email,mobile,password,display_name,street,city,groups,birthday,dept,vip_level,newsletter,employee_no,sso_subject\n")
	for _, n := range ns {
		b.WriteString(identityRow(n))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// readRecords reads every record of the input at path.
func readRecords(t *testing.T, path string) []source.Record {
	t.Helper()
	src, err := source.Open(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out []source.Record
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
}

// reportKeys lists, for each legacy key, the reports it is in.
func reportKeys(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, name := range report.Files {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		col := slices.Index(rows[0], "key")
		for _, row := range rows[1:] {
			out[row[col]] = append(out[row[col]], name)
		}
	}
	return out
}

// A row in flight at a crash whose CSV line is deleted before the resume
// (and whose offset then holds the next row): the resume never settles the
// next row under the journaled key, sends it as itself, and settles the
// journaled row by a lookup of its key into exactly one report, saying the
// source no longer has it. Each legacy key ends with one user.
func TestResumeSettlesARowInFlightTheSourceDropped(t *testing.T) {
	e := newEnv(t, unlimited())
	input := filepath.Join(t.TempDir(), "users.csv")
	writeIdentityInput(t, input, 1, 2, 3, 4, 5)
	opt := e.options(t, input)
	opt.MaxRows = 3
	e.run(t, context.Background(), opt) // rows 1..3 settled; the cursor is after row 3

	// The crash: row 4 was begun, and its CreateUser reached CIAM.
	recs := readRecords(t, input)
	row4 := recs[3]
	one := filepath.Join(t.TempDir(), "one.csv")
	writeIdentityInput(t, one, 4)
	side := e.options(t, one)
	side.StateDir = t.TempDir()
	e.run(t, context.Background(), side)
	begin, _ := json.Marshal(state.Entry{Op: state.OpBegin, Line: row4.Line, ID: row4.ID, Sink: "create", Key: "CRM-900004"})
	f, err := os.OpenFile(filepath.Join(e.dir, "journal.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(append(begin, '\n'))
	f.Close()

	writeIdentityInput(t, input, 1, 2, 3, 5) // row 4's line deleted: row 5 now starts at its offset
	if recs := readRecords(t, input); recs[3].ID != row4.ID {
		t.Fatalf("row 5 at %s, want row 4's offset %s for this test", recs[3].ID, row4.ID)
	}
	opt.MaxRows = 0
	e.run(t, context.Background(), opt)
	keys := reportKeys(t, e.dir)
	for _, k := range []string{"CRM-900001", "CRM-900002", "CRM-900003", "CRM-900004", "CRM-900005"} {
		if got := keys[k]; len(got) != 1 || got[0] != report.CreatedFile {
			t.Errorf("key %s is in %v, want created.csv once", k, got)
		}
	}
	if t.Failed() {
		data, _ := os.ReadFile(filepath.Join(e.dir, report.RejectedFile))
		t.Logf("rejected.csv:\n%s", data)
	}
	if len(keys) != 5 {
		t.Errorf("reports hold keys %v, want the 5 keys", keys)
	}
	perKey := map[string]int{}
	for _, u := range e.em.Server.Users(emulator.DemoUserStore) {
		if u.IndexedAttribute1 != nil {
			perKey[*u.IndexedAttribute1]++
		}
	}
	for k, n := range perKey {
		if n != 1 {
			t.Errorf("CIAM holds %d users of legacy key %s, want 1", n, k)
		}
	}
	if len(perKey) != 5 {
		t.Errorf("CIAM holds users of %d keys, want 5: %v", len(perKey), perKey)
	}
	snap, err := state.ReadSnapshot(filepath.Join(e.dir, "snapshot.json"))
	if err != nil || len(snap.InFlight) != 0 {
		t.Errorf("rows still in flight after the pass: %v (%v)", snap, err)
	}
}
