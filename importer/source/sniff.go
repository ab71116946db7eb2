package source

import (
	"bytes"
	"fmt"
	"strings"
)

// sniffSize is how much of the start of the input sniff looks at.
const sniffSize = 64 << 10

// sniff fails if the input, at the start of w, is one this package would
// misread without a word: lines that end in a lone CR. A read error is left
// for Next to return.
func (s *src) sniff(w *window) error {
	w.need(sniffSize)
	d := w.data()
	if crOnly(d[:min(len(d), sniffSize)]) {
		return fmt.Errorf("open %s:1: %w: the lines end in a lone CR (\\r, old Mac style), which is not supported: convert them to LF first (e.g. tr '\\r' '\\n' < in > out)",
			s.name, ErrFormat)
	}
	return nil
}

// crOnly reports whether the first line of d holds a CR that does not end
// it, as in a file whose lines end in CR alone.
func crOnly(d []byte) bool {
	if i := bytes.IndexByte(d, '\n'); i >= 0 {
		d = d[:i+1]
	}
	j := bytes.IndexByte(d, '\r')
	return j >= 0 && j+1 < len(d) && d[j+1] != '\n'
}

// delimiters are the field separators a CSV export is likely to use.
const delimiters = ",;\t|"

// delimiterErr returns an error if header, the one column of a CSV header
// read with delim, looks like several columns with another delimiter.
func delimiterErr(header string, delim rune) error {
	best, most := rune(0), 0
	for _, d := range delimiters {
		if n := strings.Count(header, string(d)); d != delim && n > most {
			best, most = d, n
		}
	}
	if best == 0 {
		return nil
	}
	return fmt.Errorf("%w: the header is one column %q, which holds %q %d times: the delimiter is likely %q, not %q: pass --delimiter %s",
		ErrHeader, clip(header), best, most, best, delim, flagValue(best))
}

// flagValue spells delimiter d as --delimiter takes it.
func flagValue(d rune) string {
	if d == '\t' {
		return `'\t'`
	}
	return "'" + string(d) + "'"
}
