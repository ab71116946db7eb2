// Package htmlreport writes the report of an import (`ciam-import report
// --state-dir DIR`) as one self-contained HTML file: inline CSS and inline
// SVG charts, no script, no font, no image and no network access, so the
// file opens anywhere, offline, and can be mailed or archived as it is.
//
// It shows the totals (rows read and rows per outcome), created/s over
// time against the quota and the allowed rate, rate-limit refusals and
// retries over time, the rows by outcome and error code, the slowest
// periods (lowest created/s, highest p99 latency), the run history of the
// state directory (first run and resumes) and relative links to the CSV
// reports.
//
// Everything comes from Data; every string in it is escaped by
// html/template for its context (keys, codes and file names may come from
// user data). Data has no field for messages, keys or credentials: the
// page shows counts, codes, times and file names only.
//
// Charts draw at most MaxPoints bins: a long timeline is merged into
// coarser bins (timeline.Series), and the gap between two runs is drawn as
// a dashed separator rather than as idle time. Each bin is one SVG element
// carrying data-* attributes with its values, which the browser test
// counts.
package htmlreport
