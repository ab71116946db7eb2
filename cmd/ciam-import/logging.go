package main

import (
	"errors"
	"io"
	"log/slog"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/pace"
)

// newLogger logs to stderr as text or JSON. Nothing the job logs carries a
// password: rows are named by line and legacy key only.
func newLogger(format string, stderr io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

func retryLogger(l *slog.Logger) func(pace.RetryEvent) {
	return func(e pace.RetryEvent) {
		code := ""
		var ce *ciam.Error
		if errors.As(e.Err, &ce) {
			code = ce.Code
		}
		l.Debug("retrying", "action", e.Action, "attempt", e.Attempt, "delay", e.Delay, "code", code)
	}
}
