// Package outcome is the one table of what can happen to an input row. Every
// row settles with exactly one Outcome; the Outcome names the word the
// journal records, the report file the row goes to with its columns, the
// counter it adds to, and what it means for the job's exit code. Adding an
// outcome is adding one entry to All: the journal, the reports, the counts,
// the summary, the status and the exit code all follow from it.
package outcome

import "slices"

// Verdict says what rows of an outcome ask of the operator.
type Verdict int

// The verdicts, from the least to the most urgent.
const (
	Done      Verdict = iota // nothing to do: the user is in CIAM as the row says
	Attention                // someone must read the report and fix the rows at the source
	Again                    // the rows can be sent again later (ciam-import retry)
)

// Outcome is one way a row can end.
type Outcome struct {
	Name    string   // the journal's word and the counter's key, e.g. "created"
	File    string   // the report file in the state directory, e.g. "created.csv"
	Columns []Column // the report's columns, in order
	Verdict Verdict
	Help    string // what a row of the report means, for people
}

// The outcomes.
var (
	Created = Outcome{Name: "created", File: "created.csv", Verdict: Done,
		Columns: []Column{Line, Key, UserID, RequestID, Pass},
		Help:    "the user exists in CIAM; user_id is its new UserId (request_id is empty when a lookup confirmed it)"}
	Updated = Outcome{Name: "updated", File: "updated.csv", Verdict: Done,
		Columns: []Column{Line, Key, UserID, Fields, RequestID},
		Help:    "the user existed in CIAM as ours and the changed fields were sent with UpdateUser"}
	Conflict = Outcome{Name: "conflict", File: "conflicts.csv", Verdict: Attention,
		Columns: []Column{Line, Key, Identifier, Code, Message, RequestID},
		Help:    "an identifier (email, phone_number, user_name, legacy_key) is taken by another user, in CIAM or earlier in this input"}
	Retryable = Outcome{Name: "retryable", File: "retryable.csv", Verdict: Again,
		Columns: []Column{Line, ID, Key, Code, Message, Attempts},
		Help:    "still failing after its retries (rate limit, service errors, network); ciam-import retry sends these again"}
	Rejected = Outcome{Name: "rejected", File: "rejected.csv", Verdict: Attention,
		Columns: []Column{Line, Key, Field, Reason},
		Help:    "bad data: the reason names the field and its source; also malformed records"}
	Skipped = Outcome{Name: "skipped", File: "skipped.csv", Verdict: Done,
		Columns: []Column{Line, Key, UserID, Reason},
		Help:    "imported before (by an earlier run, another state directory, or unchanged since the last sync): nothing was sent"}
)

// All lists the outcomes in report order. Do not modify it.
var All = []Outcome{Created, Updated, Conflict, Retryable, Rejected, Skipped}

// ByName returns the outcome called name.
func ByName(name string) (Outcome, bool) {
	i := slices.IndexFunc(All, func(o Outcome) bool { return o.Name == name })
	if i < 0 {
		return Outcome{}, false
	}
	return All[i], true
}

// ByFile returns the outcome whose report file is named file (a base
// name, e.g. "created.csv").
func ByFile(file string) (Outcome, bool) {
	i := slices.IndexFunc(All, func(o Outcome) bool { return o.File == file })
	if i < 0 {
		return Outcome{}, false
	}
	return All[i], true
}

// Files returns the report file names, in report order.
func Files() []string {
	out := make([]string, len(All))
	for i, o := range All {
		out[i] = o.File
	}
	return out
}
