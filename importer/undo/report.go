package undo

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strconv"

	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// ReportFile is the undo report's name in the state directory.
const ReportFile = "undone.csv"

// reportHeader is undone.csv's header row.
var reportHeader = []string{"line", "key", "user_id", "outcome", "message"}

// writeReport rewrites undone.csv from the journal: one row per target, in
// created.csv order, atomically and with mode 0600. Cells are neutralised
// as the import's reports are (report.Neutralise).
func writeReport(dir string, targets []Target, p *progress) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(reportHeader) // into a bytes.Buffer: cannot fail
	for _, t := range targets {
		r, ok := p.last[t.UserID]
		if !ok {
			r = Result{Outcome: Pending, Message: "not attempted yet"}
		}
		rec := []string{strconv.FormatInt(t.Line, 10), t.Key, t.UserID, string(r.Outcome), r.Message}
		for i, c := range rec {
			rec[i] = report.Neutralise(c) // as the import's reports: no cell a spreadsheet runs
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return state.WriteFileAtomic(filepath.Join(dir, ReportFile), b.Bytes(), 0o600)
}
