package ciam

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// hangUntilGone blocks a handler until the client goes away.
func hangUntilGone(w http.ResponseWriter, r *http.Request, _ []byte) { <-r.Context().Done() }

// closedPort returns an address nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestNetworkErrorBeforeSend(t *testing.T) {
	t.Parallel()
	c, ctx := newTestClient(t, "http://"+closedPort(t), 0), testContext(t)
	_, err := c.CreateUser(ctx, sampleCreate())
	e := wantError(t, err, Retryable, CodeNetworkError, false)
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		t.Errorf("want the typed dial error in the chain, got %v", e.Err)
	}
	_, err = c.ListUserByProperty(ctx, sampleLookup())
	wantError(t, err, Retryable, CodeNetworkError, false)
}

func TestConnectionDroppedAfterRequest(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	c, ctx := newTestClient(t, srv.URL, 0), testContext(t)
	_, err := c.CreateUser(ctx, sampleCreate())
	wantError(t, err, InDoubt, CodeNetworkError, true)
	_, err = c.ListUserByProperty(ctx, sampleLookup())
	wantError(t, err, Retryable, CodeNetworkError, true)
}

func TestAnswerTruncated(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		io.WriteString(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"Response\":{\"User\":")
		buf.Flush()
		conn.Close()
	})
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	e := wantError(t, err, InDoubt, CodeNetworkError, true)
	if !errors.Is(err, io.ErrUnexpectedEOF) || e.HTTPStatus != 200 {
		t.Errorf("want io.ErrUnexpectedEOF and status 200, got %v (status %d)", e.Err, e.HTTPStatus)
	}
}

func TestTimeoutAfterSend(t *testing.T) {
	t.Parallel()
	srv := newFake(t, hangUntilGone)
	c, ctx := newTestClient(t, srv.URL, 100*time.Millisecond), testContext(t)
	_, err := c.CreateUser(ctx, sampleCreate())
	wantError(t, err, InDoubt, CodeTimeout, true)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(err, DeadlineExceeded) = false: %v", err)
	}
	_, err = c.DescribeUser(ctx, &DescribeUserRequest{UserStoreId: "s", Pageable: Pageable{PageSize: 1, PageNumber: 1}})
	wantError(t, err, Retryable, CodeTimeout, true)
}

// stuckTransport never writes the request: it waits for the context.
type stuckTransport struct{}

func (stuckTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	<-req.Context().Done()
	return nil, req.Context().Err()
}

func TestTimeoutBeforeSend(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Endpoint: "http://127.0.0.1:1", SecretID: testSecretID, SecretKey: testSecretKey,
		Timeout: 50 * time.Millisecond, Transport: stuckTransport{}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateUser(testContext(t), sampleCreate())
	wantError(t, err, Retryable, CodeTimeout, false)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(err, DeadlineExceeded) = false: %v", err)
	}
}

func TestCanceledMidRequest(t *testing.T) {
	t.Parallel()
	received := make(chan struct{}, 1)
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		received <- struct{}{}
		hangUntilGone(w, r, body)
	})
	ctx, cancel := context.WithCancel(testContext(t))
	go func() {
		<-received
		cancel()
	}()
	_, err := newTestClient(t, srv.URL, 0).CreateUser(ctx, sampleCreate())
	wantError(t, err, InDoubt, CodeCanceled, true)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(err, Canceled) = false: %v", err)
	}
}

func TestCallerDeadlineMidRequest(t *testing.T) {
	t.Parallel()
	srv := newFake(t, hangUntilGone)
	ctx, cancel := context.WithTimeout(testContext(t), 100*time.Millisecond)
	defer cancel()
	_, err := newTestClient(t, srv.URL, 0).CreateUser(ctx, sampleCreate())
	wantError(t, err, InDoubt, CodeTimeout, true)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(err, DeadlineExceeded) = false: %v", err)
	}
}

func TestCanceledBeforeSend(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { n.Add(1) })
	c := newTestClient(t, srv.URL, 0)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.CreateUser(ctx, sampleCreate())
	e := wantError(t, err, Retryable, CodeCanceled, false)
	if !errors.Is(err, context.Canceled) || e.Action != ActionCreateUser {
		t.Errorf("got %v", err)
	}

	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err = c.ListUserByProperty(ctx, sampleLookup())
	wantError(t, err, Retryable, CodeTimeout, false)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v", err)
	}
	if n.Load() != 0 {
		t.Errorf("server got %d requests, want 0", n.Load())
	}
}

func TestUntrustedCertificateIsFatal(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	wantError(t, err, Fatal, CodeNetworkError, false)
}

func TestHTTPS(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		answer(w, 200, `{"Response":{"Users":[],"RequestId":"tls"}}`)
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, SecretID: testSecretID, SecretKey: testSecretKey,
		Transport: srv.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.ListUserByProperty(testContext(t), sampleLookup())
	if err != nil || resp.RequestId != "tls" {
		t.Fatalf("got %+v, %v", resp, err)
	}
}
