package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
)

// repeatedKeyCSV writes n rows of the samples' shape; row dup (0-based)
// repeats the legacy key of row 0 with its own login, email and phone.
func repeatedKeyCSV(t *testing.T, n, dup int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("legacy_id,login,email,mobile,password,display_name,street,city,groups,birthday,dept,vip_level,newsletter,employee_no,sso_subject\n")
	for i := range n {
		key := fmt.Sprintf("CRM-%06d", i+1)
		if i == dup {
			key = "CRM-000001"
		}
		fmt.Fprintf(&b, "%s,user%d,user%d@example.com,1878199%04d,p@ssw0rd%d,Name %d,,,,,Support,,,,\n", key, i, i, i, i, i)
	}
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A key repeated after a --max-rows stop gives what one uninterrupted run
// gives: the first row created, the repeat a conflict naming its line
// (issue 19: it used to be created a second time).
func TestRepeatedKeyAcrossAStopAndResume(t *testing.T) {
	for _, stopAfter := range []int64{0, 3, 9} { // 0: one uninterrupted run
		t.Run(fmt.Sprintf("max-rows %d", stopAfter), func(t *testing.T) {
			e := newEnv(t, unlimited())
			input := repeatedKeyCSV(t, 12, 10)
			opt := e.options(t, input)
			opt.MaxRows = stopAfter
			sum := e.run(t, context.Background(), opt)
			if stopAfter > 0 {
				if sum.Stopped != importer.StopMaxRows {
					t.Fatalf("first run stopped %q, want max-rows", sum.Stopped)
				}
				sum = e.run(t, context.Background(), e.options(t, input))
			}
			if got := sum.Counts.Of(outcome.Created); got != 11 {
				t.Errorf("created %d, want 11", got)
			}
			checkEveryRowOnce(t, input, e.dir, sum)
			checkCreatedMatchEmulator(t, e)
			if got := reportLines(t, e.dir)[report.ConflictsFile]; len(got) != 1 || got[0] != 12 {
				t.Errorf("conflict lines %v, want line 12", got)
			}
			raw, err := os.ReadFile(filepath.Join(e.dir, report.ConflictsFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), "Local.DuplicateInInput") || !strings.Contains(string(raw), "as line 2 ") {
				t.Errorf("conflicts.csv:\n%s\nwant line 12 a duplicate of line 2", raw)
			}
		})
	}
}
