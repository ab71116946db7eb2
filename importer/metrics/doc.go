// Package metrics exposes a run's progress as Prometheus metrics in a text
// file for node_exporter's textfile collector (--metrics-file PATH).
//
// A Metrics holds its own private registry; the pipeline feeds it events
// (rows settled, answers, the allowed rate, successes, the run's start and
// end) and a Writer rewrites the file atomically every period and at
// Close: a temp file in the same directory (a hidden name that does not end
// in .prom, so the collector never reads a half-written file), fsync,
// rename, fsync of the directory.
//
// Every metric carries the constant labels import (a name for the job,
// default the state directory's base name) and state_dir. The label is not
// called job: Prometheus sets job and instance at scrape time and would
// rename ours to exported_job.
//
// Metrics (prefix ciam_import_):
//
//	rows_total{outcome}                  counter: rows settled by this run, by outcome
//	requests_total{action,code}          counter: answers by action and error code ("ok" for success)
//	allowed_rate_requests_per_second     gauge: the request rate currently allowed
//	rows_in_doubt                        gauge: rows sent whose outcome is unknown (to reconcile)
//	running                              gauge: 1 while the run is going, 0 after it ended
//	last_success_timestamp_seconds       gauge: Unix time of the last successful answer
//	run_start_timestamp_seconds          gauge: Unix time the current (or last) run started
//	last_run_end_timestamp_seconds       gauge: Unix time the last run ended
//	last_run_exit_code                   gauge: exit code of the last run
//
// The timestamps and the exit code appear only once set. Counters start at
// zero with each process (a restart is a counter reset, as Prometheus
// expects). Label values are capped (maxLabelValues per label) so that
// unexpected codes from the service cannot blow up the file; the surplus is
// counted under "other". The file holds counts, codes and the state
// directory path only, never user data or secrets, and is created 0644 so
// the collector can read it.
package metrics
