package report

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

func retryLines(t *testing.T, path string) []int64 {
	t.Helper()
	var got []int64
	for _, r := range readAll(t, path, outcome.Retryable) {
		got = append(got, r.Line)
	}
	return got
}

// startPass writes rows 2 and 3 (row 3 left unsynced) and rotates
// retryable.csv to the queue, returning the sizes before and after.
func startPass(t *testing.T, dir, queue string) (w *Writer, before, after map[string]int64) {
	t.Helper()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w, 2)
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	before = w.Sizes()
	writeAll(t, w, 3) // buffered: Rotate must sync it first
	if err := w.Rotate(RetryableFile, queue); err != nil {
		t.Fatal(err)
	}
	return w, before, w.Sizes()
}

func TestRotate(t *testing.T) {
	dir := t.TempDir()
	queue := filepath.Join(dir, "retry-queue.csv")
	w, _, after := startPass(t, dir, queue)
	assertMode(t, queue, 0o600)
	if got := retryLines(t, queue); !reflect.DeepEqual(got, []int64{2, 3}) {
		t.Errorf("queue rows = %v, want [2 3]", got)
	}
	if after[RetryableFile] != int64(len(headers[RetryableFile])) {
		t.Errorf("Sizes[retryable] after Rotate = %d, want the header's %d", after[RetryableFile], len(headers[RetryableFile]))
	}
	writeAll(t, w, 4)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := retryLines(t, filepath.Join(dir, RetryableFile)); !reflect.DeepEqual(got, []int64{4}) {
		t.Errorf("retryable rows after Rotate = %v, want [4]", got)
	}
	if got := lines(t, dir)[CreatedFile]; !reflect.DeepEqual(got, []int64{2, 3, 4}) {
		t.Errorf("created rows = %v: other reports must be untouched", got)
	}
	if err := w.Rotate("nope.csv", queue); err == nil {
		t.Error("Rotate of an unknown report must fail")
	}
}

// A crash after Rotate but before the snapshot of the new pass: the old
// snapshot still opens, and once replay has re-reported the rows after it,
// rotating again gives the same queue.
func TestRotate_CrashBeforeSnapshot(t *testing.T) {
	dir := t.TempDir()
	queue := filepath.Join(dir, "retry-queue.csv")
	_, before, _ := startPass(t, dir, queue) // then kill -9: the writer is abandoned
	first := readFile(t, queue)

	w, err := OpenWriter(dir, before)
	if err != nil {
		t.Fatalf("reopen at the old snapshot after Rotate: %v", err)
	}
	writeAll(t, w, 3) // what journal replay re-reports
	if err := w.Rotate(RetryableFile, queue); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, queue); got != first {
		t.Errorf("queue after the second Rotate = %q, want %q", got, first)
	}
	_ = w.Close()
}

// A crash after the snapshot of the new pass: reopening at its sizes drops
// the rotated rows from the report; the queue keeps them.
func TestRotate_CrashAfterSnapshot(t *testing.T) {
	dir := t.TempDir()
	queue := filepath.Join(dir, "retry-queue.csv")
	_, _, after := startPass(t, dir, queue) // WriteSnapshot(after), then kill -9

	w, err := OpenWriter(dir, after)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := retryLines(t, filepath.Join(dir, RetryableFile)); len(got) != 0 {
		t.Errorf("retryable rows = %v, want none", got)
	}
	if got := retryLines(t, queue); !reflect.DeepEqual(got, []int64{2, 3}) {
		t.Errorf("queue rows = %v, want [2 3]", got)
	}
	if got := lines(t, dir)[CreatedFile]; !reflect.DeepEqual(got, []int64{2, 3}) {
		t.Errorf("created rows = %v, want [2 3]", got)
	}
}
