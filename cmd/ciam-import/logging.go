package main

import (
	"io"
	"log/slog"

	"github.com/ciam-import/ciam-import/importer"
)

// newLogger logs to stderr as text or JSON. Nothing the job logs carries a
// password: rows are named by line and legacy key only.
func newLogger(format string, stderr io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

func retryLogger(l *slog.Logger) func(importer.RetryEvent) {
	return func(e importer.RetryEvent) {
		l.Debug("retrying", "action", e.Action, "attempt", e.Attempt, "delay", e.Delay, "code", e.Err.Code)
	}
}
