package undo

// Outcome is what became of one user an undo meant to delete.
type Outcome string

// The outcomes of undone.csv. Only Deleted is final; a Failed or Pending
// user is attempted again by the next Run.
const (
	Deleted Outcome = "deleted" // DeleteUsers succeeded, or a lookup found the user gone
	Failed  Outcome = "failed"  // still there after the attempts of a Run; the message says why
	Pending Outcome = "pending" // not attempted yet (the Run was stopped before it)
)

// progress is the journal replayed: each id's last outcome, and the batches
// begun but never settled (their answer was lost).
type progress struct {
	last    map[string]Result
	open    map[int][]string // batch -> ids, begun and not settled
	batches int              // the highest batch number seen
}

// replay reads the journal at path into a progress and returns the offset
// past its last whole entry.
func replay(path string) (*progress, int64, error) {
	p := &progress{last: map[string]Result{}, open: map[int][]string{}}
	end, err := readJournal(path, p.apply)
	return p, end, err
}

// apply records one journal entry.
func (p *progress) apply(e Entry) {
	p.batches = max(p.batches, e.Batch)
	switch e.Op {
	case opBegin:
		p.open[e.Batch] = e.IDs
	case opSettle:
		delete(p.open, e.Batch)
		for _, r := range e.Results {
			p.last[r.UserID] = r
		}
	}
}

// deleted reports whether id is known to be gone.
func (p *progress) deleted(id string) bool { return p.last[id].Outcome == Deleted }
