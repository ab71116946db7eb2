package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/canary"
)

// printCanary lists what a canary run found when it read its users back:
// how many users on each path, the paths it did not reach, and every field
// CIAM holds otherwise than sent, with its hint.
func printCanary(w io.Writer, s *importer.Summary) {
	total := 0
	var read, missed []string
	for _, p := range canary.Paths {
		if n := s.CanaryRead[p]; n > 0 {
			total += n
			read = append(read, fmt.Sprintf("%s %d", p, n))
		} else if p != canary.PathUpdate { // only a sync under --on-conflict update takes it
			missed = append(missed, string(p))
		}
	}
	fmt.Fprintf(w, "  canary:   %d users read back (%s)", total, orNone(strings.Join(read, ", ")))
	if len(s.Canary) == 0 {
		fmt.Fprintln(w, ": every compared field is as sent, every status NORMAL")
	} else {
		fmt.Fprintf(w, "; %d fields differ from what was sent:\n", len(s.Canary))
		for _, d := range s.Canary {
			fmt.Fprintf(w, "    line %d (%s, %s) %s: sent %q, CIAM holds %q\n", d.Line, d.Key, d.Path, d.Field, d.Sent, d.Got)
			if d.Hint != "" {
				fmt.Fprintf(w, "      hint: %s\n", d.Hint)
			}
		}
	}
	if len(missed) > 0 {
		fmt.Fprintf(w, "  canary:   no row reached %s before the canary stopped: not checked yet\n", strings.Join(missed, " or "))
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
