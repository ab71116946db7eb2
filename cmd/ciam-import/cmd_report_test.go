package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/htmlreport"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
)

// TestReportCodeCounts: the report page counts codes as they were written
// (formula-guarded cells restored), the rows that are whole before a torn
// one, nothing for a missing or empty report, and refuses a foreign one.
func TestReportCodeCounts(t *testing.T) {
	dir := t.TempDir()
	w, err := report.OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, code := range []string{"InternalError", "-Weird", "InternalError"} {
		if err := w.Write(outcome.Retryable, &outcome.Row{Line: int64(i + 2), Key: "k", Code: code, Attempts: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write(outcome.Rejected, &outcome.Row{Line: 2, Key: "k", Field: "=email", Message: "bad"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	retryable := filepath.Join(dir, outcome.Retryable.File)
	f, err := os.OpenFile(retryable, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("5,50,k,\"Torn") // a row being written
	_ = f.Close()
	got, err := codeCounts(retryable, outcome.Retryable)
	want := []htmlreport.CodeCount{{Outcome: "retryable", Code: "InternalError", Rows: 2}, {Outcome: "retryable", Code: "-Weird", Rows: 1}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("retryable codes = %+v, %v; want %+v", got, err, want)
	}
	got, err = codeCounts(filepath.Join(dir, outcome.Rejected.File), outcome.Rejected)
	if want := []htmlreport.CodeCount{{Outcome: "rejected", Code: "field =email", Rows: 1}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("rejected codes = %+v, %v; want %+v", got, err, want)
	}
	conflicts := filepath.Join(dir, outcome.Conflict.File)
	for _, data := range []string{"", "no file"} {
		if data == "" {
			writeTestFile(t, conflicts, "")
		} else {
			_ = os.Remove(conflicts)
		}
		if got, err := codeCounts(conflicts, outcome.Conflict); err != nil || len(got) != 0 {
			t.Errorf("%q conflicts.csv: %+v, %v; want no codes", data, got, err)
		}
	}
	writeTestFile(t, conflicts, "line,key,code\n2,k,x\n")
	if _, err := codeCounts(conflicts, outcome.Conflict); err == nil || !strings.Contains(err.Error(), conflicts) {
		t.Errorf("a foreign conflicts.csv: %v, want an error naming it", err)
	}
}

func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
