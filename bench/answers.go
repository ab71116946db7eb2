package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// answerLog is a slog.Handler for the emulator's debug record of each
// answered call. It keeps the injected latency of the answer to the
// CreateUser admitted last (answered with success), the "last answer's
// latency" of figure 1d's floor, and when RequestLimitExceeded was
// answered, for -trace.
type answerLog struct {
	mu       sync.Mutex
	last     time.Duration
	lastSent time.Time // answer time minus injected latency: when it was admitted
	refused  []time.Time
}

// recordAnswers makes the emulator report its answers to a.
func (a *answerLog) recordAnswers(cfg *emulator.Config) { cfg.Logger = slog.New(a) }

func (a *answerLog) lastLatency() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

func (a *answerLog) Enabled(context.Context, slog.Level) bool { return true }

func (a *answerLog) Handle(_ context.Context, r slog.Record) error {
	var action, code string
	var latency time.Duration
	found := false
	r.Attrs(func(at slog.Attr) bool {
		switch at.Key {
		case "action":
			action = at.Value.String()
		case "code":
			code = at.Value.String()
		case "latency":
			latency, found = at.Value.Duration(), true
		}
		return true
	})
	a.mu.Lock()
	defer a.mu.Unlock()
	if isRateLimit(code) { // refused at the gateway, before the action is known: any action
		a.refused = append(a.refused, r.Time)
	}
	if sent := r.Time.Add(-latency); found && action == ciam.ActionCreateUser && !sent.Before(a.lastSent) {
		a.last, a.lastSent = latency, sent
	}
	return nil
}

func (a *answerLog) WithAttrs([]slog.Attr) slog.Handler { return a }
func (a *answerLog) WithGroup(string) slog.Handler      { return a }

// refusals returns when RequestLimitExceeded was answered, oldest first.
func (a *answerLog) refusals() []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]time.Time(nil), a.refused...)
}
