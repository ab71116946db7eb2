package emulator_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// TestQuotaSharedByClients fires a burst from many SDK clients at a quota
// of 20/s: some are refused, and no one-second window admitted more than 20.
func TestQuotaSharedByClients(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Rate = 20 })
	const n = 80
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := send(demoClient(r), ciam.ActionCreateUser, userReq(i))
			codes[i] = codeOf(err)
		})
	}
	wg.Wait()
	admitted, limited := 0, 0
	for _, c := range codes {
		switch c {
		case "":
			admitted++
		case emulator.CodeRequestLimitExceeded:
			limited++
		default:
			t.Errorf("unexpected answer %q", c)
		}
	}
	ts := r.Server.Admitted(ciam.ActionCreateUser)
	st := r.Server.Stats()
	if limited == 0 || len(ts) != admitted || st.RateLimited != int64(limited) || st.Created != int64(admitted) {
		t.Errorf("admitted %d (recorded %d, created %d), limited %d (stats %d)",
			admitted, len(ts), st.Created, limited, st.RateLimited)
	}
	if got := emulator.MaxPerWindow(ts, time.Second); got > 20 {
		t.Errorf("a one-second window admitted %d requests, quota is 20", got)
	}
}

// TestQuotaPerAction: CreateUser's quota does not throttle lookups.
func TestQuotaPerAction(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Rate = 1 })
	c := demoClient(r)
	createUser(t, c, userReq(1))
	if _, err := send(c, ciam.ActionCreateUser, userReq(2)); code(t, err) != emulator.CodeRequestLimitExceeded {
		t.Fatalf("second CreateUser in the second: %v", err)
	}
	lookup := map[string]any{"UserStoreId": store, "PropertyCode": "email", "PropertyValue": "x@y"}
	if _, err := send(c, ciam.ActionListUserByProperty, lookup); err != nil {
		t.Fatalf("lookup throttled by CreateUser's quota: %v", err)
	}
}

// TestSDKRetryHonoursQuota: the SDK's own RateLimitExceededMaxRetries reacts
// to the emulator's RequestLimitExceeded. The server clock jumps a second
// on each back-off, so the test does not wait the real second.
func TestSDKRetryHonoursQuota(t *testing.T) {
	var offset atomic.Int64
	r := start(t, func(c *emulator.Config) {
		c.Rate = 1
		c.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	})
	c := demoClient(r)
	createUser(t, c, userReq(1))
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint, cpf.HttpProfile.Scheme = r.Endpoint, "HTTP"
	cpf.RateLimitExceededMaxRetries = 2
	cpf.RateLimitExceededRetryDuration = func(int) time.Duration {
		offset.Add(int64(time.Second))
		return time.Millisecond
	}
	c.WithProfile(cpf)
	if _, err := send(c, ciam.ActionCreateUser, userReq(2)); err != nil {
		t.Fatalf("SDK retry did not get through the quota: %v", err)
	}
	if st := r.Server.Stats(); st.RateLimited != 1 || st.Created != 2 {
		t.Errorf("stats %+v, want 1 refusal then success", st)
	}
}
