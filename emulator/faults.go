package emulator

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// z99 is the standard normal quantile of 0.99.
const z99 = 2.3263478740408408

type faultKind int

const (
	faultNone faultKind = iota
	faultError
	faultDrop
	faultLose
	faultStoreThenError
	faultStoreThen5xx
)

// plan is what the fault injector decided for one admitted request.
type plan struct {
	latency time.Duration
	kind    faultKind
	code    string // for faultError and faultStoreThenError
	status  int    // for faultStoreThen5xx: 502 or 504
}

// decide draws the latency and the fault for one request from rng.
func (f FaultSpec) decide(rng *rand.Rand) plan {
	p := plan{latency: f.sampleLatency(rng)}
	u := rng.Float64()
	switch {
	case u < f.DropRate:
		p.kind = faultDrop
	case u < f.DropRate+f.ErrorRate:
		p.kind = faultError
		p.code = f.ErrorCodes[rng.IntN(len(f.ErrorCodes))]
	case u < f.DropRate+f.ErrorRate+f.LoseResponseRate:
		p.kind = faultLose
	case u < f.DropRate+f.ErrorRate+f.LoseResponseRate+f.StoreThenErrorRate:
		p.kind = faultStoreThenError
		p.code = f.ErrorCodes[rng.IntN(len(f.ErrorCodes))]
	case u < f.DropRate+f.ErrorRate+f.LoseResponseRate+f.StoreThenErrorRate+f.StoreThen5xxRate:
		p.kind = faultStoreThen5xx
		p.status = []int{http.StatusBadGateway, http.StatusGatewayTimeout}[rng.IntN(2)]
	}
	return p
}

// sampleLatency draws from the log-normal distribution whose median is
// LatencyMedian and whose 99th percentile is LatencyP99.
func (f FaultSpec) sampleLatency(rng *rand.Rand) time.Duration {
	if f.LatencyMedian <= 0 {
		return 0
	}
	if f.LatencyP99 <= f.LatencyMedian {
		return f.LatencyMedian
	}
	mu := math.Log(float64(f.LatencyMedian))
	sigma := (math.Log(float64(f.LatencyP99)) - mu) / z99
	return time.Duration(math.Exp(mu + sigma*rng.NormFloat64()))
}

// faultRNG hands out one generator per request, seeded from the server seed,
// the action, the request body and how many identical bodies came before.
// A given request therefore meets the same fate in every run with the same
// seed, whatever the interleaving of concurrent clients, and a resend of the
// same body gets a fresh draw.
type faultRNG struct {
	seed     uint64
	mu       sync.Mutex
	attempts map[uint64]uint64
}

func newFaultRNG(seed int64) *faultRNG {
	return &faultRNG{seed: uint64(seed), attempts: map[uint64]uint64{}}
}

func (g *faultRNG) forRequest(action string, body []byte) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(action))
	h.Write([]byte{0})
	h.Write(body)
	key := h.Sum64()
	g.mu.Lock()
	n := g.attempts[key]
	g.attempts[key] = n + 1
	g.mu.Unlock()
	return rand.New(rand.NewPCG(g.seed, key^(n*0x9e3779b97f4a7c15)))
}

// sleep waits d, or until the server closes. It reports whether the full
// delay elapsed. The request's own context is deliberately ignored: the
// service keeps working on a request whose client gave up.
func (s *Server) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.closing:
		return false
	}
}

// abort closes the client connection without writing a response. It hijacks
// the HTTP/1.x connection; where that is impossible it panics with
// http.ErrAbortHandler, which makes net/http drop the response instead.
func abort(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func (f Faults) validate() error {
	for _, c := range []struct {
		name string
		spec FaultSpec
	}{{"create user", f.CreateUser}, {"lookups", f.Lookups}, {"import job", f.ImportJob}, {"updates", f.Updates}} {
		if err := c.spec.validate(); err != nil {
			return fmt.Errorf("%s faults: %w", c.name, err)
		}
	}
	return nil
}

func (f Faults) withDefaults() Faults {
	f.CreateUser, f.Lookups = f.CreateUser.withDefaults(), f.Lookups.withDefaults()
	f.ImportJob, f.Updates = f.ImportJob.withDefaults(), f.Updates.withDefaults()
	return f
}

// forAction returns the spec of action's class.
func (f *Faults) forAction(action string) FaultSpec {
	switch action {
	case actionCreateUser:
		return f.CreateUser
	case actionCreateApiImportUserJob:
		return f.ImportJob
	case actionUpdateUser, actionSetPassword:
		return f.Updates
	}
	return f.Lookups
}
