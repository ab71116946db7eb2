package ciam

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// capClient is a test client with a small answer cap.
func capClient(t *testing.T, endpoint string, maxBytes int64, rt http.RoundTripper) *Client {
	t.Helper()
	c, err := New(Config{Endpoint: endpoint, SecretID: testSecretID, SecretKey: testSecretKey,
		MaxResponseBytes: maxBytes, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// endless writes chunks until the client goes away.
func endless(w http.ResponseWriter, _ *http.Request, _ []byte) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"Response":{"JobSet":[`)
	chunk := []byte(strings.Repeat(`{"Id":"x"},`, 3000))
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func TestBodyCapStreaming(t *testing.T) {
	t.Parallel()
	srv := newFake(t, endless)
	c, ctx := capClient(t, srv.URL, 64<<10, nil), testContext(t)
	_, err := c.CreateApiImportUserJob(ctx, sampleImport())
	e := wantError(t, err, InDoubt, CodeResponseTooLarge, true)
	if !strings.Contains(e.Message, strconv.Itoa(64<<10)) {
		t.Errorf("message %q does not name the cap", e.Message)
	}
	_, err = c.ListJobs(ctx, &ListJobsRequest{UserStoreId: "s"})
	wantError(t, err, Retryable, CodeResponseTooLarge, true)
	_, err = c.CreateUser(ctx, sampleCreate())
	wantError(t, err, InDoubt, CodeResponseTooLarge, true)
}

func TestBodyCapContentLength(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Length", strconv.Itoa(2<<30))
		w.WriteHeader(200)
		io.WriteString(w, `{"Response":`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c, ctx := capClient(t, srv.URL, 1<<20, nil), testContext(t)
	_, err := c.ListJobs(ctx, &ListJobsRequest{UserStoreId: "s"})
	wantError(t, err, Retryable, CodeResponseTooLarge, true)
	_, err = c.CreateUser(ctx, sampleCreate())
	wantError(t, err, InDoubt, CodeResponseTooLarge, true)
}

// TestBodyCapBoundary: an answer of exactly the cap is read; one byte more
// is refused.
func TestBodyCapBoundary(t *testing.T) {
	t.Parallel()
	body := `{"Response":{"JobSet":[],"RequestId":"edge"}}`
	for _, tt := range []struct {
		maxBytes int64
		ok       bool
	}{{int64(len(body)), true}, {int64(len(body)) - 1, false}} {
		srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			w.Header().Set("Transfer-Encoding", "chunked") // no Content-Length: the reader must count
			answer(w, 200, body)
		})
		resp, err := capClient(t, srv.URL, tt.maxBytes, nil).ListJobs(testContext(t), &ListJobsRequest{UserStoreId: "s"})
		if tt.ok && (err != nil || resp.RequestId != "edge") {
			t.Errorf("cap %d: %+v, %v", tt.maxBytes, resp, err)
		}
		if !tt.ok {
			wantError(t, err, Retryable, CodeResponseTooLarge, true)
		}
	}
}

// gzipped is body compressed.
func gzipped(t *testing.T, body []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBodyCapAfterDecompression: a small compressed answer that expands
// past the cap is refused, whether Go's transport or this package
// decompresses it; a compressed answer within the cap is decoded.
func TestBodyCapAfterDecompression(t *testing.T) {
	t.Parallel()
	bomb := gzipped(t, append([]byte(`{"Response":{"RequestId":"`), bytes.Repeat([]byte("a"), 8<<20)...))
	small := gzipped(t, []byte(`{"Response":{"Content":[{"UserId":"u"}],"RequestId":"gz"}}`))
	noDecompress := newBaseTransport().(*http.Transport)
	noDecompress.DisableCompression = true
	for name, rt := range map[string]http.RoundTripper{"go decompresses": nil, "we decompress": noDecompress} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Type", "application/json")
				if r.Header.Get("X-TC-Action") == ActionListJobs {
					w.Write(bomb)
				} else {
					w.Write(small)
				}
			})
			c := capClient(t, srv.URL, 1<<20, rt)
			_, err := c.ListJobs(testContext(t), &ListJobsRequest{UserStoreId: "s"})
			wantError(t, err, Retryable, CodeResponseTooLarge, true)
			resp, err := c.ListUser(testContext(t), &ListUserRequest{UserStoreId: "s"})
			if err != nil || resp.RequestId != "gz" || resp.Content[0].UserId != "u" {
				t.Errorf("small gzip answer: %+v, %v", resp, err)
			}
		})
	}
}

// TestBodyReaderNeverHandsOutMore reads an endless body through the capped
// reader: exactly the cap comes out, then errResponseTooLarge.
func TestBodyReaderNeverHandsOutMore(t *testing.T) {
	t.Parallel()
	for _, max := range []int64{0, 1, 1000, 64 << 10} {
		tr := &trip{}
		b := &bodyReader{rc: io.NopCloser(zeros{}), trip: tr, left: max}
		n, err := io.Copy(io.Discard, b)
		if n != max || !errors.Is(err, errResponseTooLarge) || !tr.state().tooLarge {
			t.Errorf("cap %d: read %d, %v, tooLarge=%v", max, n, err, tr.state().tooLarge)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// slowBody answers the headers and the start of a body, reports that on
// started, and then stalls until the client goes away.
func slowBody(started chan<- struct{}) func(w http.ResponseWriter, r *http.Request, _ []byte) {
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"Response":{"JobSet":[`)
		w.(http.Flusher).Flush()
		started <- struct{}{}
		<-r.Context().Done()
	}
}

func TestCancelAbortsSlowBody(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 1)
	srv := newFake(t, slowBody(started))
	c := newTestClient(t, srv.URL, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.CreateApiImportUserJob(ctx, sampleImport())
		done <- err
	}()
	waitFor(t, started, "the body to start")
	cancel()
	select {
	case err := <-done:
		wantError(t, err, InDoubt, CodeCanceled, true)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("errors.Is(err, Canceled) = false: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not abort the slow body")
	}
}

func TestTimeoutAbortsSlowBody(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 2)
	srv := newFake(t, slowBody(started))
	c := newTestClient(t, srv.URL, 100*time.Millisecond)
	_, err := c.ListJobs(testContext(t), &ListJobsRequest{UserStoreId: "s"})
	wantError(t, err, Retryable, CodeTimeout, true)
	_, err = c.CreateApiImportUserJob(testContext(t), sampleImport())
	if e := wantError(t, err, InDoubt, CodeTimeout, true); e.Unreachable {
		t.Error("a slow answer is not unreachable")
	}
}

// waitFor waits for ch with a deadline.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}
