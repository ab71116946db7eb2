package main

import (
	"fmt"
	"time"

	"github.com/ciam-import/ciam-import/importer/dedup"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// seenFlushEvery is how many rows the seed's table takes between flushes,
// as a run flushes it at each checkpoint.
const seenFlushEvery = 10_000

// fillSeen fills the duplicate table of the state directory dir with the
// identifiers of the first rows rows of the input at path, mapped by the
// mapping at mappingPath, the way the run that settled them would have
// left it: each row is checked (Check), its identifiers taken into a
// settle entry (Take) and settled (Settled), and the table is flushed
// every seenFlushEvery rows and at the end. The rows the seed run really
// settled find their own identifiers and add none. A row that is rejected
// or a duplicate is an error: the generated input has neither, and the
// table would then disagree with what a run would have reported.
//
// It then checks the result on a reopened table, as the resume will open
// it: it must hold exactly the identifiers the rows have (Len), and the
// first and the last row's identifiers must be found (as a duplicate of
// another row's). It returns the number of identifiers held.
func fillSeen(dir, path, mappingPath string, rows int) (int, error) {
	spec, err := mapping.ParseFile(mappingPath)
	if err != nil {
		return 0, err
	}
	seenDir := state.Dir{Path: dir}.Seen()
	tab, err := dedup.Open(seenDir, dedup.Config{})
	if err != nil {
		return 0, err
	}
	want, first, last, err := settleRows(tab, spec, path, rows)
	if cerr := tab.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("fill the seed's duplicate table: %w", err)
	}
	if err := checkSeen(seenDir, want, first, last); err != nil {
		return 0, fmt.Errorf("fill the seed's duplicate table: %w", err)
	}
	return want, nil
}

// settledRow is a row the fill settled: enough to check it again.
type settledRow struct {
	user *mapping.User
	row  dedup.Row
}

// settleRows runs the first rows rows of path through tab as a run
// settles them. It returns the number of identifiers the rows have and
// the first and the last row.
func settleRows(tab *dedup.Table, spec *mapping.Spec, path string, rows int) (int, settledRow, settledRow, error) {
	var first, last settledRow
	r, err := openFromStart(path)
	if err != nil {
		return 0, first, last, err
	}
	defer r.Close()
	want := 0
	for i := range rows {
		rec, err := r.Next()
		if err != nil {
			return 0, first, last, fmt.Errorf("read row %d: %w", i, err)
		}
		u, err := spec.Map(rec.Fields)
		if err != nil {
			return 0, first, last, fmt.Errorf("map line %d: %w", rec.Line, err)
		}
		row := dedup.Row{ID: rec.ID, Line: rec.Line}
		d, dup, err := tab.Check(u, row)
		if err != nil {
			return 0, first, last, err
		}
		if dup {
			return 0, first, last, fmt.Errorf("line %d: %s held by line %d (the generated input has no duplicates)", rec.Line, d.Kind, d.Line)
		}
		tab.Settled(state.Entry{Op: state.OpSettle, Line: rec.Line, ID: rec.ID, Key: u.Key,
			Outcome: outcome.Created.Name, Seen: tab.Take(rec.ID)})
		if (i+1)%seenFlushEvery == 0 {
			if err := tab.Flush(time.Now()); err != nil {
				return 0, first, last, err
			}
		}
		want += identifiers(u)
		if i == 0 {
			first = settledRow{u, row}
		}
		last = settledRow{u, row}
	}
	return want, first, last, tab.Flush(time.Now())
}

// identifiers counts the identifiers of u the table holds: legacy key,
// user name, email and phone number, when not empty.
func identifiers(u *mapping.User) int {
	n := 0
	for _, s := range []string{u.Key, u.UserName, u.Email, u.PhoneNumber} {
		if s != "" {
			n++
		}
	}
	return n
}

// checkSeen reopens the table in dir and checks that it holds want
// identifiers and those of first and last: each, checked again as another
// row (another source ID), is a duplicate of its own line.
func checkSeen(dir string, want int, first, last settledRow) error {
	tab, err := dedup.Open(dir, dedup.Config{})
	if err != nil {
		return err
	}
	defer tab.Close()
	if n := tab.Len(); n != want {
		return fmt.Errorf("the reopened table holds %d identifiers, the rows have %d", n, want)
	}
	for _, s := range []settledRow{first, last} {
		d, dup, err := tab.Check(s.user, dedup.Row{ID: s.row.ID + "-again", Line: s.row.Line})
		if err != nil {
			return err
		}
		if !dup || d.Line != s.row.Line {
			return fmt.Errorf("the reopened table does not hold line %d (duplicate %v of line %d)", s.row.Line, dup, d.Line)
		}
	}
	return nil
}
