package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Running is a Server listening on a TCP address.
type Running struct {
	// URL is "http://HOST:PORT", the real bound address.
	URL string
	// Endpoint is "HOST:PORT", the value for the SDK's
	// HttpProfile.Endpoint (with HttpProfile.Scheme "HTTP").
	Endpoint string
	Server   *Server

	http *http.Server
	done chan error
}

// Start serves cfg on 127.0.0.1 with a free port, in-process. Close it
// when done.
func Start(cfg Config) (*Running, error) {
	return Listen(cfg, "127.0.0.1:0")
}

// Listen serves cfg on addr (port 0 picks a free port). It returns once the
// listener is bound.
func Listen(cfg Config, addr string) (*Running, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := New(cfg)
	srv.SetPublicURL("http://" + ln.Addr().String())
	r := &Running{
		URL:      "http://" + ln.Addr().String(),
		Endpoint: ln.Addr().String(),
		Server:   srv,
		http:     &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second},
		done:     make(chan error, 1),
	}
	go func() { r.done <- r.http.Serve(ln) }()
	return r, nil
}

// Shutdown stops accepting connections and waits for in-flight requests
// (injected latencies included) until ctx ends; then it cuts the rest
// short, closing their connections without an answer.
func (r *Running) Shutdown(ctx context.Context) error {
	err := r.http.Shutdown(ctx)
	if err != nil {
		_ = r.Server.Close()
		err = errors.Join(err, r.http.Close())
	}
	_ = r.Server.Close()
	return errors.Join(err, r.serveErr())
}

// Close stops the server at once: in-flight requests end without an answer.
func (r *Running) Close() error {
	_ = r.Server.Close()
	err := r.http.Close()
	return errors.Join(err, r.serveErr())
}

func (r *Running) serveErr() error {
	err := <-r.done
	r.done <- err // keep it for a second Close
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
