package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Namespace prefixes every metric name.
const Namespace = "ciam_import"

// maxLabelValues bounds the distinct values of one variable label; further
// values are counted under otherValue.
const (
	maxLabelValues = 64
	otherValue     = "other"
)

// Outcomes are pre-created at zero so that rows_total shows every outcome
// from the first write.
var Outcomes = []string{"created", "updated", "conflict", "rejected", "retryable", "skipped"}

// DefaultImport is the import label when Labels.Import is empty.
const DefaultImport = "ciam-import"

// Labels name the run's metrics.
type Labels struct {
	// Import names the job: the one constant label of every metric. It
	// should stay the same from night to night (a dated state directory
	// would start a new series every run); empty means DefaultImport.
	Import string
	// StateDir is the run's state directory, a label of info only.
	StateDir string
}

// Metrics is a run's metric set in a private registry. Its methods are
// safe for concurrent use and do nothing on a nil *Metrics.
type Metrics struct {
	reg                    *prometheus.Registry
	rows, requests         *prometheus.CounterVec
	rate, inDoubt, running prometheus.Gauge
	lastSuccess, runStart  *prometheus.GaugeVec
	lastEnd, exitCode      *prometheus.GaugeVec
	errorStreak, info      prometheus.Gauge
	mu                     sync.Mutex
	streak                 int                        // answers that were not a success since the last success
	seen                   map[string]map[string]bool // label name -> values in use
}

// New returns a metric set with constant labels l.
func New(l Labels) *Metrics {
	if l.Import == "" {
		l.Import = DefaultImport
	}
	c := prometheus.Labels{"import": l.Import}
	m := &Metrics{reg: prometheus.NewRegistry(), seen: map[string]map[string]bool{}}
	m.rows = m.counterVec(c, "rows_total", "Rows settled by this run, by outcome.", "outcome")
	m.requests = m.counterVec(c, "requests_total", "Answers by action and error code (ok for success).", "action", "code")
	m.rate = m.gauge(c, "allowed_rate_requests_per_second", "Request rate currently allowed.")
	m.inDoubt = m.gauge(c, "rows_in_doubt", "Rows sent whose outcome is unknown until reconciled.")
	m.running = m.gauge(c, "running", "1 while the run is going, 0 after it ended.")
	m.lastSuccess = m.gaugeVec(c, "last_success_timestamp_seconds", "Unix time of the last successful answer.")
	m.runStart = m.gaugeVec(c, "run_start_timestamp_seconds", "Unix time the current or last run started.")
	m.lastEnd = m.gaugeVec(c, "last_run_end_timestamp_seconds", "Unix time the last run ended.")
	m.exitCode = m.gaugeVec(c, "last_run_exit_code", "Exit code of the last run.")
	m.errorStreak = m.gauge(c, "error_streak", "Answers in a row that were not a success (0 after a success).")
	m.info = m.gauge(prometheus.Labels{"import": l.Import, "state_dir": l.StateDir}, "info", "1; its state_dir label is the run's state directory.")
	m.info.Set(1)
	for _, o := range Outcomes {
		m.rows.WithLabelValues(m.capped("outcome", o))
	}
	return m
}

func (m *Metrics) counterVec(c prometheus.Labels, name, help string, labels ...string) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help, ConstLabels: c}, labels)
	m.reg.MustRegister(v)
	return v
}

func (m *Metrics) gauge(c prometheus.Labels, name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help, ConstLabels: c})
	m.reg.MustRegister(g)
	return g
}

// gaugeVec is a gauge without variable labels that is exposed only once set.
func (m *Metrics) gaugeVec(c prometheus.Labels, name, help string) *prometheus.GaugeVec {
	v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help, ConstLabels: c}, nil)
	m.reg.MustRegister(v)
	return v
}

// Gatherer returns the private registry, for tests and an HTTP handler.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// capped returns value, or otherValue once label has maxLabelValues others.
func (m *Metrics) capped(label, value string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.seen[label]
	if s == nil {
		s = map[string]bool{}
		m.seen[label] = s
	}
	if s[value] {
		return value
	}
	if len(s) >= maxLabelValues {
		return otherValue
	}
	s[value] = true
	return value
}

// unix returns t as fractional Unix seconds.
func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
