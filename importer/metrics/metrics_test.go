package metrics

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// parseFile reads a metrics file back with Prometheus' own text parser.
func parseFile(t *testing.T, path string) map[string]*dto.MetricFamily {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return mfs
}

// value returns the value of the sample of family name whose variable
// labels equal want (name=value pairs), checking the constant labels.
func value(t *testing.T, mfs map[string]*dto.MetricFamily, name string, want ...string) (float64, bool) {
	t.Helper()
	mf := mfs[Namespace+"_"+name]
	if mf == nil {
		return 0, false
	}
	for _, m := range mf.GetMetric() {
		got := map[string]string{}
		for _, lp := range m.GetLabel() {
			got[lp.GetName()] = lp.GetValue()
		}
		if got["import"] != "prod-eu" || (got["state_dir"] != "" && name != "info") {
			t.Errorf("%s: constant labels %v", name, got)
		}
		match := true
		for i := 0; i < len(want); i += 2 {
			match = match && got[want[i]] == want[i+1]
		}
		if !match {
			continue
		}
		switch mf.GetType() {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue(), true
		default:
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

func TestWriteFileRoundTrip(t *testing.T) {
	m := New(Labels{Import: "prod-eu", StateDir: "/var/lib/ciam/prod-eu"})
	start := time.Unix(1764700000, 500e6)
	m.RunStarted(start)
	m.LastRun(start.Add(-time.Hour), 3)
	m.Settled("created", 5)
	m.Settled("created", 2)
	m.Settled("conflict", 1)
	m.Answered("CreateUser", "ok")
	m.Answered("CreateUser", "ok")
	m.Answered("CreateUser", "RequestLimitExceeded")
	m.SetRate(17.5)
	m.SetInDoubt(4)
	m.Succeeded(start.Add(time.Minute))
	path := filepath.Join(t.TempDir(), "ciam.prom")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	mfs := parseFile(t, path)
	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"rows_total", []string{"outcome", "created"}, 7},
		{"rows_total", []string{"outcome", "conflict"}, 1},
		{"rows_total", []string{"outcome", "rejected"}, 0},
		{"requests_total", []string{"action", "CreateUser", "code", "ok"}, 2},
		{"requests_total", []string{"action", "CreateUser", "code", "RequestLimitExceeded"}, 1},
		{"allowed_rate_requests_per_second", nil, 17.5},
		{"rows_in_doubt", nil, 4},
		{"running", nil, 1},
		{"run_start_timestamp_seconds", nil, 1764700000.5},
		{"last_success_timestamp_seconds", nil, 1764700060.5},
		{"last_run_end_timestamp_seconds", nil, 1764696400.5},
		{"last_run_exit_code", nil, 3},
		{"error_streak", nil, 1},
		{"info", []string{"state_dir", "/var/lib/ciam/prod-eu"}, 1},
	}
	for _, tt := range tests {
		if got, ok := value(t, mfs, tt.name, tt.labels...); !ok || got != tt.want {
			t.Errorf("%s%v = %v (found %v), want %v", tt.name, tt.labels, got, ok, tt.want)
		}
	}
	m.RunEnded(start.Add(2*time.Hour), 0)
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	mfs = parseFile(t, path)
	if v, _ := value(t, mfs, "running"); v != 0 {
		t.Errorf("running after end = %v", v)
	}
	if v, _ := value(t, mfs, "last_run_exit_code"); v != 0 {
		t.Errorf("exit code after end = %v", v)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temp files left: %v", entries)
	}
}

func TestUnsetTimestampsAbsent(t *testing.T) {
	m := New(Labels{Import: "prod-eu", StateDir: "/var/lib/ciam/prod-eu"})
	path := filepath.Join(t.TempDir(), "m.prom")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	mfs := parseFile(t, path)
	for _, name := range []string{"last_success_timestamp_seconds", "run_start_timestamp_seconds", "last_run_end_timestamp_seconds", "last_run_exit_code"} {
		if _, ok := value(t, mfs, name); ok {
			t.Errorf("%s exposed before being set", name)
		}
	}
	if _, ok := value(t, mfs, "rows_total", "outcome", "updated"); !ok {
		t.Error("outcomes not pre-created")
	}
}

func TestLabelValuesCapped(t *testing.T) {
	m := New(Labels{Import: "prod-eu", StateDir: "/var/lib/ciam/prod-eu"})
	for i := range maxLabelValues + 10 {
		m.Answered("CreateUser", fmt.Sprintf("Code%d", i))
	}
	path := filepath.Join(t.TempDir(), "m.prom")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	mfs := parseFile(t, path)
	if n := len(mfs[Namespace+"_requests_total"].GetMetric()); n != maxLabelValues+1 {
		t.Errorf("%d series, want %d", n, maxLabelValues+1)
	}
	if v, _ := value(t, mfs, "requests_total", "code", otherValue); v != 10 {
		t.Errorf("other = %v, want 10", v)
	}
}

func TestWriteFileErrorLeavesTarget(t *testing.T) {
	m := New(Labels{StateDir: "/x"})
	if err := m.WriteFile(filepath.Join(t.TempDir(), "missing", "m.prom")); err == nil || !strings.HasPrefix(err.Error(), "write metrics") {
		t.Fatalf("err = %v", err)
	}
	if _, err := StartWriter(m, filepath.Join(t.TempDir(), "missing", "m.prom"), time.Hour); err == nil {
		t.Fatal("StartWriter on a bad path succeeded")
	}
}

func TestWriterPeriodicAndFinal(t *testing.T) {
	m := New(Labels{Import: "prod-eu", StateDir: "/var/lib/ciam/prod-eu"})
	path := filepath.Join(t.TempDir(), "m.prom")
	w, err := StartWriter(m, path, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	m.Settled("created", 3)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if v, _ := value(t, parseFile(t, path), "rows_total", "outcome", "created"); v == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("periodic write did not happen within 5s")
		}
		time.Sleep(2 * time.Millisecond) // polling the event, bounded by the deadline
	}
	m.Settled("created", 1)
	m.RunEnded(time.Unix(1764700000, 0), 3)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	mfs := parseFile(t, path)
	if v, _ := value(t, mfs, "rows_total", "outcome", "created"); v != 4 {
		t.Errorf("final created = %v", v)
	}
	if v, _ := value(t, mfs, "last_run_exit_code"); v != 3 {
		t.Errorf("final exit code = %v", v)
	}
}

func TestConcurrentAndNil(t *testing.T) {
	var nilM *Metrics
	nilM.Settled("created", 1)
	nilM.Answered("a", "ok")
	nilM.SetRate(1)
	nilM.SetInDoubt(1)
	nilM.Succeeded(time.Now())
	nilM.RunStarted(time.Now())
	nilM.RunEnded(time.Now(), 1)

	m := New(Labels{Import: "prod-eu", StateDir: "/var/lib/ciam/prod-eu"})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				m.Answered("CreateUser", "ok")
			}
		}()
	}
	wg.Wait()
	path := filepath.Join(t.TempDir(), "m.prom")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if v, _ := value(t, parseFile(t, path), "requests_total", "action", "CreateUser", "code", "ok"); v != 8000 {
		t.Errorf("ok = %v, want 8000", v)
	}
}

// What an alert needs is there from the first write: last success (the
// run's start until a success), the error streak, a label that does not
// follow a dated state directory.
func TestFirstWriteIsMeaningful(t *testing.T) {
	for _, dir := range []string{"/var/lib/ciam/2026-12-06", "/var/lib/ciam/2026-12-07"} {
		m := New(Labels{StateDir: dir})
		start := time.Unix(1764700000, 0)
		m.RunStarted(start)
		m.Answered("CreateUser", "InternalError")
		m.Answered("CreateUser", "InternalError")
		path := filepath.Join(t.TempDir(), "m.prom")
		if err := m.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		mfs := parseFile(t, path)
		for _, mf := range mfs {
			for _, metric := range mf.GetMetric() {
				for _, lp := range metric.GetLabel() {
					if lp.GetName() == "import" && lp.GetValue() != DefaultImport {
						t.Errorf("%s: import label %q follows the state directory", mf.GetName(), lp.GetValue())
					}
				}
			}
		}
		if v, ok := valueAny(mfs, "last_success_timestamp_seconds"); !ok || v != 1764700000 {
			t.Errorf("last success before any success = %v (found %v), want the run's start", v, ok)
		}
		if v, _ := valueAny(mfs, "error_streak"); v != 2 {
			t.Errorf("error streak %v, want 2", v)
		}
		m.Answered("CreateUser", CodeOK)
		if err := m.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		if v, _ := valueAny(parseFile(t, path), "error_streak"); v != 0 {
			t.Errorf("error streak after a success %v, want 0", v)
		}
	}
}

func valueAny(mfs map[string]*dto.MetricFamily, name string) (float64, bool) {
	mf := mfs[Namespace+"_"+name]
	if mf == nil || len(mf.GetMetric()) == 0 {
		return 0, false
	}
	return mf.GetMetric()[0].GetGauge().GetValue(), true
}

// A metrics file in a directory that does not exist is named by its path.
func TestMissingMetricsDirectoryNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "ciam.prom")
	err := New(Labels{}).WriteFile(path)
	if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("error %v does not name %s", err, path)
	}
}
