package ciam

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// failingResolver makes every DNS lookup fail with a *net.DNSError.
func failingResolverTransport() *http.Transport {
	d := &net.Dialer{Resolver: &net.Resolver{PreferGo: true,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("no DNS server in this test")
		}}}
	rt := newBaseTransport().(*http.Transport)
	rt.DialContext = d.DialContext
	rt.Proxy = nil
	return rt
}

// blockingDialTransport dials nowhere: each dial waits until its context
// ends, like a host that drops SYNs; dialing is closed when the first dial
// starts.
func blockingDialTransport(dialing chan<- struct{}) *http.Transport {
	rt := newBaseTransport().(*http.Transport)
	rt.Proxy = nil
	rt.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
		select {
		case dialing <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return rt
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(plain.Close)
	untrusted := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(untrusted.Close)
	tests := []struct {
		name     string
		endpoint string
		rt       http.RoundTripper
		timeout  time.Duration
		class    Class
		code     string
	}{
		{"connection refused", "http://" + closedPort(t), nil, 0, Retryable, CodeNetworkError},
		{"DNS failure", "http://ciam.example.invalid", failingResolverTransport(), 0, Retryable, CodeNetworkError},
		{"TLS to a plain server", "https://" + strings.TrimPrefix(plain.URL, "http://"), nil, 0, Retryable, CodeNetworkError},
		{"untrusted certificate", untrusted.URL, nil, 0, Fatal, CodeNetworkError},
		{"timeout while connecting", "http://192.0.2.1:9", blockingDialTransport(nil), 50 * time.Millisecond, Retryable, CodeTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{Endpoint: tt.endpoint, SecretID: testSecretID, SecretKey: testSecretKey,
				Transport: tt.rt, Timeout: tt.timeout})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CreateUser(testContext(t), sampleCreate())
			if e := wantError(t, err, tt.class, tt.code, false); !e.Unreachable {
				t.Errorf("Unreachable = false for %v", e)
			}
			_, err = c.ListJobs(testContext(t), &ListJobsRequest{UserStoreId: "s"})
			if e := wantError(t, err, tt.class, tt.code, false); !e.Unreachable {
				t.Errorf("ListJobs: Unreachable = false for %v", e)
			}
		})
	}
}

// TestReachedIsNotUnreachable: failures after a connection was made, and
// the caller giving up while connecting, are not Unreachable.
func TestReachedIsNotUnreachable(t *testing.T) {
	t.Parallel()
	dropped := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	})
	_, err := newTestClient(t, dropped.URL, 0).CreateUser(testContext(t), sampleCreate())
	if e := wantError(t, err, InDoubt, CodeNetworkError, true); e.Unreachable {
		t.Errorf("dropped after sending: Unreachable set: %v", e)
	}
	answered := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { w.WriteHeader(502) })
	_, err = newTestClient(t, answered.URL, 0).CreateUser(testContext(t), sampleCreate())
	if e := asError(t, err); e.Unreachable {
		t.Errorf("502: Unreachable set: %v", e)
	}

	dialing := make(chan struct{}, 1)
	c, err := New(Config{Endpoint: "http://192.0.2.1:9", SecretID: testSecretID, SecretKey: testSecretKey,
		Transport: blockingDialTransport(dialing), Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.CreateUser(ctx, sampleCreate()); done <- err }()
	waitFor(t, dialing, "the dial")
	cancel()
	select {
	case err := <-done:
		if e := wantError(t, err, Retryable, CodeCanceled, false); e.Unreachable {
			t.Errorf("caller's cancel while dialing: Unreachable set: %v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not end the dial")
	}
}
