package ciam

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"time"
)

// The SDK turns every transport failure into "ClientError.NetworkError" and a
// failed body read into a "ClientError.ParseJsonError" string, and it reads an
// error body before it looks at the HTTP status. None of that says whether the
// request reached the service. So each call puts a trip in its request
// context, and transport, installed with the SDK's WithHttpTransport, fills
// it in: an httptrace hook marks the request written (WroteHeaders or
// WroteRequest), the typed RoundTrip error is kept as is, and the status,
// headers and any body read error of the answer are recorded. The call then
// classifies from the trip, not from SDK strings.

// errResponseTooLarge ends the read of an answer longer than the cap.
var errResponseTooLarge = errors.New("ciam: answer longer than the configured maximum")

// errSecondExchange refuses a second HTTP exchange within one call (a
// redirect): a CreateUser must reach the service at most once per call.
var errSecondExchange = errors.New("ciam: refusing a second HTTP exchange in one call (redirect)")

// trip records what happened to one call's HTTP exchange. The trace hooks may
// run on the transport's goroutines, hence the mutex.
type trip struct {
	mu        sync.Mutex
	exchanges int
	written   bool
	dialing   bool  // a DNS lookup or dial started for this call
	connected bool  // a connection (TLS included) was obtained
	connErr   error // the first DNS, dial or TLS handshake error
	tooLarge  bool  // the answer exceeded the cap
	rtErr     error
	readErr   error
	status    int
	header    http.Header
}

// tripState is a consistent copy of a trip.
type tripState struct {
	sent        bool
	dialing     bool
	connected   bool
	connErr     error
	tooLarge    bool
	rtErr       error
	readErr     error
	status      int
	contentType string
	retryAfter  time.Duration
}

type tripKey struct{}

// withTrip returns ctx carrying a new trip.
func withTrip(ctx context.Context) (context.Context, *trip) {
	t := &trip{}
	return context.WithValue(ctx, tripKey{}, t), t
}

func tripFrom(ctx context.Context) *trip {
	t, _ := ctx.Value(tripKey{}).(*trip)
	return t
}

// begin counts an exchange and reports whether it may go ahead.
func (t *trip) begin() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.exchanges++
	return t.exchanges == 1
}

func (t *trip) markWritten() {
	t.mu.Lock()
	t.written = true
	t.mu.Unlock()
}

func (t *trip) update(f func(t *trip)) {
	t.mu.Lock()
	f(t)
	t.mu.Unlock()
}

func (t *trip) connFailed(err error) {
	if err == nil {
		return
	}
	t.update(func(t *trip) {
		if t.connErr == nil {
			t.connErr = err
		}
	})
}

func (t *trip) failed(err error) {
	t.mu.Lock()
	t.rtErr = err
	t.mu.Unlock()
}

func (t *trip) answered(resp *http.Response) {
	t.mu.Lock()
	t.status, t.header = resp.StatusCode, resp.Header.Clone()
	t.mu.Unlock()
}

func (t *trip) readFailed(err error) {
	t.mu.Lock()
	if t.readErr == nil {
		t.readErr = err
	}
	t.mu.Unlock()
}

func (t *trip) state() tripState {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := tripState{sent: t.written || t.status != 0, dialing: t.dialing, connected: t.connected, connErr: t.connErr,
		tooLarge: t.tooLarge, rtErr: t.rtErr, readErr: t.readErr, status: t.status}
	if t.header != nil {
		s.contentType = t.header.Get("Content-Type")
		s.retryAfter = parseRetryAfter(t.header.Get("Retry-After"), time.Now())
	}
	return s
}

// trace marks the request written as soon as its headers are handed to a
// connection. That is conservative: the bytes may still sit in a buffer, but
// from then on the request may reach the service, and an in-doubt answer only
// costs a lookup while a wrong "not sent" could create a user twice.
func (t *trip) trace() *httptrace.ClientTrace {
	dialing := func() { t.update(func(t *trip) { t.dialing = true }) }
	return &httptrace.ClientTrace{
		DNSStart:         func(httptrace.DNSStartInfo) { dialing() },
		DNSDone:          func(i httptrace.DNSDoneInfo) { t.connFailed(i.Err) },
		ConnectStart:     func(string, string) { dialing() },
		ConnectDone:      func(_, _ string, err error) { t.connFailed(err) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) { t.connFailed(err) },
		GotConn:          func(httptrace.GotConnInfo) { t.update(func(t *trip) { t.connected = true }) },
		WroteHeaders:     t.markWritten,
		WroteRequest:     func(httptrace.WroteRequestInfo) { t.markWritten() },
	}
}

// unreachable reports that this call never got a connection to the
// service for a reason of the network: a DNS, dial or TLS handshake error,
// or (timedOut) its own timeout before any connection was obtained, as
// opposed to the caller giving up.
func (s tripState) unreachable(timedOut, callerDone bool) bool {
	if s.sent || s.connected || callerDone {
		return false
	}
	return timedOut || s.connErr != nil || s.dialing || isDialError(s.rtErr)
}

// isDialError reports a failure to resolve or connect.
func isDialError(err error) bool {
	var (
		dns *net.DNSError
		op  *net.OpError
	)
	return errors.As(err, &dns) || (errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect"))
}

// transport wraps the real RoundTripper, fills in the trip of the call and
// caps every answer at maxBytes.
type transport struct {
	base     http.RoundTripper
	maxBytes int64
}

// RoundTrip implements http.RoundTripper.
func (rt *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t := tripFrom(req.Context())
	if t == nil {
		return rt.base.RoundTrip(req)
	}
	if !t.begin() {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errSecondExchange
	}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), t.trace()))
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		t.failed(err)
		return nil, err
	}
	t.answered(resp)
	if resp.ContentLength > rt.maxBytes {
		resp.Body.Close()
		t.update(func(t *trip) { t.tooLarge = true })
		return nil, errResponseTooLarge
	}
	resp.Body = &bodyReader{rc: decodeBody(resp), trip: t, left: rt.maxBytes}
	return resp, nil
}

// bodyReader hands out at most left bytes of an answer (failing with
// errResponseTooLarge past that, so nothing longer is ever buffered), and
// records the first error reading it other than EOF (a connection dropped
// mid-answer, or the context ending).
type bodyReader struct {
	rc   io.ReadCloser
	trip *trip
	left int64
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errResponseTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		b.trip.update(func(t *trip) { t.tooLarge = true })
		return n + int(b.left), errResponseTooLarge
	}
	if err != nil && err != io.EOF {
		b.trip.readFailed(err)
	}
	return n, err
}

func (b *bodyReader) Close() error { return b.rc.Close() }

// parseRetryAfter reads a Retry-After header (delay seconds or an HTTP date);
// 0 when absent, invalid or in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}

// newBaseTransport is the default RoundTripper: a clone of
// http.DefaultTransport (proxy from environment, HTTP/2) with enough idle
// connections for 20 requests/second per action.
func newBaseTransport() http.RoundTripper {
	def, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t := def.Clone()
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 30 * time.Second
	return t
}
