package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/source"
)

// keyOfID reads the fixture's key column, as the run's KeyFunc does.
func keyOfID(fields map[string]any) string {
	s, _ := fields["id"].(string)
	return strings.TrimSpace(s)
}

// rewrite replaces the input with the fixture rows ns, in that order (a
// re-export between runs).
func (e *resumeEnv) rewrite(ns ...int) {
	e.t.Helper()
	var b strings.Builder
	b.WriteString(fixture.CSVHeader)
	for _, n := range ns {
		b.WriteString(csvRow(n))
	}
	if err := os.WriteFile(e.path, []byte(b.String()), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// readRetry reads the retry pass's rows as line:id-or-gone:key.
func readRetry(t *testing.T, src source.Reader) []string {
	t.Helper()
	defer src.Close()
	var out []string
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var gone *GoneError
		switch {
		case errors.As(rec.Err, &gone):
			out = append(out, fmt.Sprintf("%d:gone:%s", rec.Line, gone.Key))
		case rec.Err != nil:
			t.Fatalf("record %+v", rec)
		default:
			out = append(out, fmt.Sprintf("%d:%s:%s", rec.Line, rec.ID, keyOfID(rec.Fields)))
		}
	}
}

// A retry pass reads its queued rows (K3 at line 3, K4 at line 4) again by
// id and checks each against its queued key: an export regenerated with a
// line removed before them moved them, and each is found again by its key,
// at its new line; never is the row now at the old offset sent in its place.
// A key the input no longer has anywhere is a gone record carrying the
// queued key; a key held twice refuses the pass before anything is sent.
func TestRetryPassFindsItsRowsByKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows []int
		want []string // line:id:key, id "" for the new offset
		fail bool
	}{
		{"unchanged", []int{2, 3, 4, 5}, []string{"3:@1:K3", "4:@2:K4"}, false},
		{"line before removed", []int{3, 4, 5}, []string{"2:@0:K3", "3:@1:K4"}, false},
		{"queued row removed", []int{2, 4, 5}, []string{"3:gone:K3", "3:@1:K4"}, false},
		{"key twice", []int{2, 4, 3, 5, 3}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := finishedPass(t)
			e.open(retryPass).Close()
			e.rewrite(tc.rows...)
			recs := e.readInput()
			src, err := openRetrySource(e.dir.RetryQueue(), e.opt.Input, "", keyOfID)
			var mm *MismatchError
			if tc.fail {
				if !errors.As(err, &mm) || !strings.Contains(err.Error(), `"K3"`) || !strings.Contains(err.Error(), "--restart") {
					t.Fatalf("open: %v, want a *MismatchError naming K3 and what to do", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, w := range tc.want {
				var line, i int
				var key string
				if _, err := fmt.Sscanf(w, "%d:@%d:%s", &line, &i, &key); err == nil {
					w = fmt.Sprintf("%d:%s:%s", line, recs[i].ID, key)
				}
				want = append(want, w)
			}
			if got := readRetry(t, src); !slices.Equal(got, want) {
				t.Errorf("retry pass reads %v, want %v", got, want)
			}
		})
	}
}
