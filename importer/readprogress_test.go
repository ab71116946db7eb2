package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source"
)

// estimatedInput is an Input whose Size is an estimate, as a table's is.
type estimatedInput struct{ source.Input }

func (estimatedInput) Size() int64 { return 1000 }

// The duplicate table's filter is sized from the reader's progress only
// when the input's size is exact (a file's bytes): a table's row count is
// the server's estimate, and one too high would size the filter for rows
// that never come.
func TestReadProgressOnlyOfAnExactSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, make([]byte, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := source.NewFile(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := newReadProgress(file)
	for pos, want := range map[int64]float64{0: 0, 250: 0.25, 1000: 1, 4000: 1} {
		r.pos.Store(pos)
		if got := r.fraction(); got != want {
			t.Errorf("a file of 1000 bytes read to %d: fraction %v, want %v", pos, got, want)
		}
	}
	r = newReadProgress(estimatedInput{})
	r.pos.Store(250)
	if got := r.fraction(); got != 0 {
		t.Errorf("an input of an estimated size: fraction %v, want 0 (unknown)", got)
	}
}
