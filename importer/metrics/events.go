package metrics

import "time"

// Settled counts n rows settled with outcome.
func (m *Metrics) Settled(outcome string, n int) {
	if m != nil {
		m.rows.WithLabelValues(m.capped("outcome", outcome)).Add(float64(n))
	}
}

// Answered counts one answer to an action request with code ("ok" for
// success).
func (m *Metrics) Answered(action, code string) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(m.capped("action", action), m.capped("code", code)).Inc()
	m.mu.Lock()
	defer m.mu.Unlock()
	if code == CodeOK {
		m.streak = 0
	} else {
		m.streak++
	}
	m.errorStreak.Set(float64(m.streak))
}

// CodeOK is the code of a successful answer.
const CodeOK = "ok"

// SetRate sets the request rate (requests/s) currently allowed.
func (m *Metrics) SetRate(perSecond float64) {
	if m != nil {
		m.rate.Set(perSecond)
	}
}

// SetInDoubt sets the number of rows whose outcome is unknown.
func (m *Metrics) SetInDoubt(n int) {
	if m != nil {
		m.inDoubt.Set(float64(n))
	}
}

// Succeeded records a successful answer at t.
func (m *Metrics) Succeeded(t time.Time) {
	if m != nil {
		m.lastSuccess.WithLabelValues().Set(unix(t))
	}
}

// RunStarted records the start of this run at t and marks it running. The
// last success starts at t too, so that it exists from the first write and
// an alert on its age fires when a run never succeeds at all.
func (m *Metrics) RunStarted(t time.Time) {
	if m != nil {
		m.runStart.WithLabelValues().Set(unix(t))
		m.lastSuccess.WithLabelValues().Set(unix(t))
		m.running.Set(1)
	}
}

// LastRun records that a run ended at t with exitCode: this run at its
// end, or, at the start, the previous run from the state's history. It
// does not change running; RunEnded does both.
func (m *Metrics) LastRun(t time.Time, exitCode int) {
	if m != nil {
		m.lastEnd.WithLabelValues().Set(unix(t))
		m.exitCode.WithLabelValues().Set(float64(exitCode))
	}
}

// RunEnded records the end of this run at t with exitCode and marks it no
// longer running.
func (m *Metrics) RunEnded(t time.Time, exitCode int) {
	if m != nil {
		m.LastRun(t, exitCode)
		m.running.Set(0)
	}
}
