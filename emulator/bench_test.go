package emulator_test

import (
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// BenchmarkCreateUserSDK measures CreateUser calls per second through the
// SDK's common client, quota lifted, one client per goroutine (signing,
// HTTP and JSON on both sides included).
func BenchmarkCreateUserSDK(b *testing.B) {
	r := start(b)
	var next atomic.Int64
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := demoClient(r).WithHttpTransport(&http.Transport{MaxIdleConnsPerHost: 8})
		for pb.Next() {
			if _, err := send(c, ciam.ActionCreateUser, userReq(int(next.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, cpu0)
}

// BenchmarkListUserByPropertySDK measures indexed email lookups in a store
// of lookupUsers users.
func BenchmarkListUserByPropertySDK(b *testing.B) {
	const lookupUsers = 1000
	r := start(b)
	c := demoClient(r)
	for i := range lookupUsers {
		createUser(b, c, userReq(i))
	}
	var next atomic.Int64
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := demoClient(r).WithHttpTransport(&http.Transport{MaxIdleConnsPerHost: 8})
		for pb.Next() {
			req := userReq(int(next.Add(1) % lookupUsers))
			params := map[string]any{"UserStoreId": store, "PropertyCode": "email", "PropertyValue": req.Email}
			if _, err := send(c, ciam.ActionListUserByProperty, params); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, cpu0)
}

// reportRate reports requests per wall second and the CPU time per request
// of client and server together, which does not depend on the machine's
// other load: 1e6 / cpu-µs/op is the rate one core sustains.
func reportRate(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
