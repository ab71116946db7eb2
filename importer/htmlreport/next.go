package htmlreport

import (
	"fmt"
	"path/filepath"
)

// outcomeWords says a run's outcome for a reader: "partial" reads as an
// unfinished run, but it means every row was handled and some need a look.
func outcomeWords(o string) string {
	switch o {
	case "partial":
		return "finished, rows to review"
	case "retryable":
		return "finished, rows to retry"
	case "ok":
		return "finished"
	}
	return o
}

// nextSteps are the things to do after reading the report, each with the
// exact command or file, in the order to do them.
func nextSteps(d Data) []nextStep {
	dir := d.StateDir
	if dir == "" {
		dir = "DIR"
	}
	var out []nextStep
	if d.Next != "" {
		out = append(out, nextStep{What: "What the last run said to do next", Command: d.Next})
	}
	if d.InDoubt > 0 {
		out = append(out, nextStep{What: fmt.Sprintf("%s rows were sent without an answer: the next run looks them up before anything else", num(d.InDoubt)),
			Command: "ciam-import run --state-dir " + dir})
	}
	if n := d.Totals["retryable"]; n > 0 {
		out = append(out, nextStep{What: fmt.Sprintf("Send the %s retryable rows again", num(n)), Command: "ciam-import retry --state-dir " + dir})
	}
	if n := d.Totals["rejected"] + d.Totals["conflict"]; n > 0 {
		out = append(out, nextStep{What: fmt.Sprintf("Read the %s rejected and conflicting rows (line, field, reason), fix them at the source, "+
			"and import them with the same mapping into a new state directory", num(n)),
			Command: filepath.Join(dir, "rejected.csv") + " and " + filepath.Join(dir, "conflicts.csv")})
	}
	out = append(out, nextStep{What: "The counts and runs on the terminal", Command: "ciam-import status --state-dir " + dir})
	return out
}
