package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/ciam-import/ciam-import/importer/state"
)

// journalReader reads a state directory's journal, through its generations
// (journal.jsonl, then journal.N.jsonl once a checkpoint rotated it), from
// outside the process writing it.
type journalReader struct{ dir state.Dir }

func journalOf(stateDir string) journalReader { return journalReader{state.Dir{Path: stateDir}} }

func (r journalReader) gens() []int {
	gens, _ := r.dir.JournalGens()
	return gens
}

// head identifies how far the journal has been written: its last generation
// and that file's size.
func (r journalReader) head() [2]int64 {
	gens := r.gens()
	if len(gens) == 0 {
		return [2]int64{}
	}
	g := gens[len(gens)-1]
	fi, err := os.Stat(r.dir.JournalGen(g))
	if err != nil {
		return [2]int64{int64(g)}
	}
	return [2]int64{int64(g), fi.Size()}
}

// lastLine returns the input line of the last complete entry of the last
// generation, 0 if there is none.
func (r journalReader) lastLine() int64 {
	gens := r.gens()
	if len(gens) == 0 {
		return 0
	}
	f, err := os.Open(r.dir.JournalGen(gens[len(gens)-1]))
	if err != nil {
		return 0
	}
	defer f.Close()
	size, _ := f.Seek(0, io.SeekEnd)
	buf := make([]byte, min(size, 4096))
	if _, err := f.ReadAt(buf, size-int64(len(buf))); err != nil {
		return 0
	}
	buf = bytes.TrimSuffix(buf[:bytes.LastIndexByte(buf, '\n')+1], []byte("\n"))
	var e struct {
		Line int64 `json:"line"`
	}
	if json.Unmarshal(buf[bytes.LastIndexByte(buf, '\n')+1:], &e) != nil {
		return 0
	}
	return e.Line
}

// replay calls fn with every entry of every generation present, in order.
// complete is false when generation 0 is gone: a rotation deleted entries.
func (r journalReader) replay(t *testing.T, fn func(state.Entry)) (complete bool) {
	t.Helper()
	gens := r.gens()
	for _, g := range gens {
		_, err := state.ReplayJournal(r.dir.JournalGen(g), 0, func(e state.Entry, _ int64) error {
			fn(e)
			return nil
		})
		if err != nil && !errors.Is(err, os.ErrNotExist) { // a generation a rotation just deleted
			t.Fatalf("replay journal generation %d: %v", g, err)
		}
	}
	return len(gens) == 0 || gens[0] == 0
}

// inDoubt counts the rows begun and not settled in their pass: those the
// next run must reconcile before sending anything.
func (r journalReader) inDoubt(t *testing.T) int {
	t.Helper()
	open := map[[2]int64]bool{}
	r.replay(t, func(e state.Entry) {
		k := [2]int64{int64(e.Pass), e.Line}
		if e.Op == state.OpBegin {
			open[k] = true
		} else {
			delete(open, k)
		}
	})
	return len(open)
}

// begins counts the begin entries of each input line.
func (r journalReader) begins(t *testing.T) (map[int64]int, bool) {
	t.Helper()
	n := map[int64]int{}
	complete := r.replay(t, func(e state.Entry) {
		if e.Op == state.OpBegin {
			n[e.Line]++
		}
	})
	return n, complete
}
