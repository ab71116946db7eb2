package report

import "strings"

// Cells that a spreadsheet would take for a formula are neutralised as
// OWASP's "CSV injection" page describes: a cell starting with '=', '+',
// '-', '@', a tab or a carriage return gets a leading single quote, so
// Excel, LibreOffice and Google Sheets show it as text. A cell that starts
// with a quote gets one more too, so the change is undone exactly: Restore
// drops one leading quote, whatever follows. The one reader of the reports,
// Read, restores every cell.

// formulaStart are the first characters that start a formula.
const formulaStart = "=+-@\t\r"

// Neutralise returns cell as a report stores it.
func Neutralise(cell string) string {
	if cell != "" && strings.ContainsRune(formulaStart+"'", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// Restore returns the value of a cell Neutralise stored.
func Restore(cell string) string { return strings.TrimPrefix(cell, "'") }

// neutraliseRecord neutralises every cell of rec in place and returns it.
func neutraliseRecord(rec []string) []string {
	for i, c := range rec {
		rec[i] = Neutralise(c)
	}
	return rec
}
