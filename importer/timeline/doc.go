// Package timeline records what a run did, second by second, and reads it
// back for the report.
//
// A Recorder counts events (requests sent, answers by code, rate-limit
// refusals, retries, rows settled by outcome, the allowed rate, answer
// latencies) into the bucket of the current wall-clock second. About once a
// second, and at Close, every finished bucket is appended to the timeline
// file as one JSON line. Seconds in which nothing happened are written as
// one idle bucket whose Span covers them all, so a file covers its run
// without gaps from Open to Close and an idle day costs one line.
//
// The file lives in the run's state directory: Open creates it 0600, never
// through a symlink and never over an existing file. It holds counts, codes
// and outcome names only: no keys, no user data, no secrets.
//
// ReadFile and ReadDir load timeline files, including one torn at its last
// line by a crash, into a bounded number of buckets (adjacent seconds are
// merged when a run is longer than the bound).
//
// The recorder is safe for concurrent use. Its hot path is one mutex and a
// few map increments; a nil *Recorder records nothing, so callers that have
// no timeline (the validate path) pass nil.
package timeline
