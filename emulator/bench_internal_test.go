package emulator

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// BenchmarkServeHTTPCreateUser measures the emulator alone: pre-signed
// CreateUser requests straight into ServeHTTP, no network, no SDK.
func BenchmarkServeHTTPCreateUser(b *testing.B) {
	s := New(Config{SecretID: DemoSecretID, SecretKey: DemoSecretKey, UserStores: []string{DemoUserStore}})
	type signedReq struct {
		body       []byte
		auth, when string
	}
	reqs := make([]signedReq, b.N)
	now := time.Now().Unix()
	date := time.Unix(now, 0).UTC().Format(time.DateOnly)
	c := credential{service: ciam.Service, signedHeaders: []string{"content-type", "host"}}
	for i := range reqs {
		body := fmt.Appendf(nil, `{"UserStoreId":%q,"UserName":"u%d","Email":"u%d@x","PhoneNumber":"+86-1%010d","Password":"p"}`,
			DemoUserStore, i, i, i)
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:9000/", nil)
		r.Header.Set("Content-Type", "application/json")
		sig := signatureFor(DemoSecretKey, c, r, body, now, r.Host)
		reqs[i] = signedReq{body: body, when: strconv.FormatInt(now, 10),
			auth: "TC3-HMAC-SHA256 Credential=" + DemoSecretID + "/" + date + "/ciam/tc3_request, SignedHeaders=content-type;host, Signature=" + sig}
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:9000/", bytes.NewReader(reqs[i].body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-TC-Action", ciam.ActionCreateUser)
		r.Header.Set("X-TC-Version", ciam.APIVersion)
		r.Header.Set("X-TC-Region", "ap-guangzhou")
		r.Header.Set("X-TC-Timestamp", reqs[i].when)
		r.Header.Set("Authorization", reqs[i].auth)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if !bytes.Contains(w.Body.Bytes(), []byte(`"UserId"`)) {
			b.Fatalf("request %d: %s", i, w.Body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// cpuTime is the user+system CPU time of the process so far: unlike wall
// time it does not depend on what else the machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
