package emulator

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestLatencyDistribution samples the log-normal latency and checks its
// median and 99th percentile land near the configured ones.
func TestLatencyDistribution(t *testing.T) {
	f := FaultSpec{LatencyMedian: 20 * time.Millisecond, LatencyP99: 200 * time.Millisecond}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 50000
	d := make([]time.Duration, n)
	for i := range d {
		d[i] = f.sampleLatency(rng)
	}
	slices.Sort(d)
	within := func(got, want time.Duration, tol float64) bool {
		return float64(got) > float64(want)*(1-tol) && float64(got) < float64(want)*(1+tol)
	}
	if med, p99 := d[n/2], d[n*99/100]; !within(med, f.LatencyMedian, 0.05) || !within(p99, f.LatencyP99, 0.10) {
		t.Errorf("median %v (want ~%v), p99 %v (want ~%v)", med, f.LatencyMedian, p99, f.LatencyP99)
	}
	if d[0] == d[n-1] {
		t.Error("latency is constant")
	}
	constant := FaultSpec{LatencyMedian: 5 * time.Millisecond}
	if got := constant.sampleLatency(rng); got != 5*time.Millisecond {
		t.Errorf("p99 unset: latency %v, want the median", got)
	}
}

// TestFaultRNGPerRequest: the draw depends on the body and its resend
// count, not on what other requests came before.
func TestFaultRNGPerRequest(t *testing.T) {
	a, b := newFaultRNG(3), newFaultRNG(3)
	b.forRequest("CreateUser", []byte("other"))
	x1, y1 := a.forRequest("CreateUser", []byte("body")).Uint64(), b.forRequest("CreateUser", []byte("body")).Uint64()
	x2 := a.forRequest("CreateUser", []byte("body")).Uint64()
	if x1 != y1 {
		t.Error("an unrelated request changed the draw")
	}
	if x1 == x2 {
		t.Error("a resend got the same draw")
	}
}

func TestFaultSpecValidate(t *testing.T) {
	for _, f := range []FaultSpec{
		{ErrorRate: -0.1}, {DropRate: 1.5}, {ErrorRate: 0.6, LoseResponseRate: 0.6},
		{LatencyMedian: -time.Second}, {ErrorCodes: []string{""}},
	} {
		if err := f.validate(); err == nil {
			t.Errorf("%+v: no error", f)
		}
	}
	if err := (FaultSpec{ErrorRate: 0.5, DropRate: 0.25, LoseResponseRate: 0.25}).validate(); err != nil {
		t.Errorf("rates summing to 1: %v", err)
	}
}
