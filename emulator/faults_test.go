package emulator_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

const networkError = "ClientError.NetworkError"

func withCreateFaults(f emulator.FaultSpec) func(*emulator.Config) {
	return func(c *emulator.Config) { c.Faults.CreateUser = f }
}

func TestDropStoresNothing(t *testing.T) {
	r := start(t, withCreateFaults(emulator.FaultSpec{DropRate: 1}))
	_, err := send(demoClient(r), ciam.ActionCreateUser, userReq(1))
	if got := code(t, err); got != networkError {
		t.Fatalf("code = %q (%v), want %s", got, err, networkError)
	}
	st := r.Server.Stats()
	if len(r.Server.Users(store)) != 0 || st.Dropped != 1 || st.FaultsInjected != 1 || r.Server.CreateCalls("user1") != 1 {
		t.Errorf("users %d, stats %+v, calls %d", len(r.Server.Users(store)), st, r.Server.CreateCalls("user1"))
	}
}

// TestLostResponseStoresUser is the in-doubt case: the client sees the
// connection close, yet the user exists and a resend conflicts.
func TestLostResponseStoresUser(t *testing.T) {
	r := start(t, withCreateFaults(emulator.FaultSpec{LoseResponseRate: 1}))
	c := demoClient(r)
	_, err := send(c, ciam.ActionCreateUser, userReq(1))
	if got := code(t, err); got != networkError {
		t.Fatalf("code = %q (%v), want %s", got, err, networkError)
	}
	users := r.Server.Users(store)
	if len(users) != 1 || *users[0].UserName != "user1" || r.Server.Stats().LostResponses != 1 {
		t.Fatalf("users %+v, stats %+v", users, r.Server.Stats())
	}
	if err := r.Server.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	_, err = send(c, ciam.ActionCreateUser, userReq(1))
	if got := code(t, err); got != emulator.CodeUserNameAlreadyExists {
		t.Errorf("resend: code %q, want %s", got, emulator.CodeUserNameAlreadyExists)
	}
	if n := r.Server.CreateCalls("user1@example.com"); n != 2 {
		t.Errorf("CreateCalls by email = %d, want 2", n)
	}
}

func TestInjectedErrorCodes(t *testing.T) {
	codes := []string{"RequestLimitExceeded.FrequentRequest", emulator.CodeInternalError}
	r := start(t, withCreateFaults(emulator.FaultSpec{ErrorRate: 1, ErrorCodes: codes}))
	c := demoClient(r)
	seen := map[string]bool{}
	for i := range 20 {
		_, err := send(c, ciam.ActionCreateUser, userReq(i))
		got := code(t, err)
		if !slices.Contains(codes, got) {
			t.Fatalf("code %q not among %v", got, codes)
		}
		seen[got] = true
	}
	if len(seen) != 2 || len(r.Server.Users(store)) != 0 || r.Server.Stats().InjectedErrors != 20 {
		t.Errorf("seen %v, users %d, stats %+v", seen, len(r.Server.Users(store)), r.Server.Stats())
	}
}

// TestLookupFaultsSeparate: lookup faults leave CreateUser alone and the
// other way round.
func TestLookupFaultsSeparate(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Faults.Lookups = emulator.FaultSpec{ErrorRate: 1} })
	c := demoClient(r)
	createUser(t, c, userReq(1))
	_, err := send(c, ciam.ActionDescribeUserByID, map[string]any{"UserStoreId": store, "UserId": "x"})
	if got := code(t, err); got != emulator.CodeInternalError {
		t.Fatalf("lookup code = %q, want %s", got, emulator.CodeInternalError)
	}
}

// outcomes sends users in order and describes what each call saw.
func outcomes(t *testing.T, r *emulator.Running, order []int) map[int]string {
	c := demoClient(r)
	out := map[int]string{}
	for _, i := range order {
		_, err := send(c, ciam.ActionCreateUser, userReq(i))
		out[i] = codeOf(err)
		if code(t, err) == networkError {
			out[i] = networkError
		}
	}
	return out
}

func TestSeededFaultsReproducible(t *testing.T) {
	spec := emulator.FaultSpec{ErrorRate: 0.3, DropRate: 0.1, LoseResponseRate: 0.1}
	seeded := func(seed int64) *emulator.Running {
		return start(t, withCreateFaults(spec), func(c *emulator.Config) { c.Seed = seed })
	}
	order := make([]int, 40)
	for i := range order {
		order[i] = i
	}
	first := outcomes(t, seeded(7), order)
	again := outcomes(t, seeded(7), order)
	slices.Reverse(order)
	reversed := outcomes(t, seeded(7), order)
	other := outcomes(t, seeded(8), order)
	if fmt.Sprint(first) != fmt.Sprint(again) || fmt.Sprint(first) != fmt.Sprint(reversed) {
		t.Errorf("same seed, different outcomes:\n%v\n%v\n%v", first, again, reversed)
	}
	if fmt.Sprint(first) == fmt.Sprint(other) {
		t.Errorf("seeds 7 and 8 gave identical outcomes %v", first)
	}
	kinds := map[string]bool{}
	for _, o := range first {
		kinds[o] = true
	}
	if !kinds[""] || !kinds[networkError] || !kinds[emulator.CodeInternalError] {
		t.Errorf("40 calls did not show every outcome: %v", first)
	}
}

// TestLatencyOutlivesClient: the client gives up during the injected
// latency; the server still stores the user (a timeout is in doubt).
func TestLatencyOutlivesClient(t *testing.T) {
	r := start(t, withCreateFaults(emulator.FaultSpec{LatencyMedian: 300 * time.Millisecond}))
	c := demoClient(r).WithHttpTransport(&http.Transport{ResponseHeaderTimeout: 50 * time.Millisecond})
	begin := time.Now()
	_, err := send(c, ciam.ActionCreateUser, userReq(1))
	if got := code(t, err); got != networkError {
		t.Fatalf("code = %q (%v), want %s", got, err, networkError)
	}
	waitFor(t, 5*time.Second, func() bool { return r.Server.Stats().Created == 1 })
	if elapsed := time.Since(begin); elapsed < 300*time.Millisecond {
		t.Errorf("user stored after %v, before the 300ms latency", elapsed)
	}
}

// TestCloseCutsLatency: closing the emulator ends a long injected latency.
func TestCloseCutsLatency(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Faults.CreateUser = emulator.FaultSpec{LatencyMedian: time.Hour}
	r, err := emulator.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := send(demoClient(r), ciam.ActionCreateUser, userReq(1))
		done <- err
	}()
	waitFor(t, 5*time.Second, func() bool { return r.Server.Stats().Admitted == 1 })
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if got := codeOf(err); got != networkError {
			t.Errorf("code = %q, want %s", got, networkError)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("request still pending after Close")
	}
	if len(r.Server.Users(store)) != 0 {
		t.Error("a request cut short by Close stored its user")
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, deadline time.Duration, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(deadline)
	for !cond() {
		select {
		case <-tick.C:
		case <-timeout:
			t.Fatalf("condition not met within %v", deadline)
		}
	}
}
