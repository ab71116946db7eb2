package ciam

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// failure holds the facts of one failed call; its methods turn them into the
// call's *Error.
type failure struct {
	action   string
	parent   context.Context // the caller's context
	rctx     context.Context // parent plus the per-request timeout
	timeout  time.Duration
	maxBytes int64
	endpoint string // scheme://host of the service, for NotAPI errors
	trip     tripState
}

// classify turns the SDK's error for a call into an *Error. An answer cut
// off at the size cap comes first (the SDK only saw part of it); then an API
// error body; then the transport's own error; then the HTTP status; then the
// context. SDK message strings are never parsed.
func (f *failure) classify(err error) *Error {
	if f.trip.tooLarge {
		return f.tooLarge()
	}
	var te *tcerr.TencentCloudSDKError
	if errors.As(err, &te) && !hasSegmentPrefix(te.Code, "ClientError") {
		return f.apiError(te)
	}
	if netErr := firstError(f.trip.rtErr, f.trip.readErr); netErr != nil {
		return f.networkError(netErr)
	}
	if f.trip.status != 0 {
		return f.statusError()
	}
	if f.rctx.Err() != nil {
		return f.finish(contextError(f.parent, f.timeout, f.trip.sent, nil))
	}
	class := Fatal
	if f.trip.sent {
		class = InDoubt
	}
	return f.finish(&Error{Class: class, Code: CodeInternal, Message: "send request: " + err.Error(), Err: err})
}

// apiError classifies an error the service answered with.
func (f *failure) apiError(te *tcerr.TencentCloudSDKError) *Error {
	r := classifyAPI(f.action, te.Code)
	return f.finish(&Error{Class: r.class, Code: te.Code, Message: te.Message, RequestID: te.RequestId,
		Identifier: r.ident, Field: r.field, Sent: true, Err: te})
}

// tooLarge reports an answer cut off at the size cap: the request reached
// the service, what it did is unknown.
func (f *failure) tooLarge() *Error {
	return f.finish(&Error{Class: InDoubt, Code: CodeResponseTooLarge, Sent: true,
		Message: fmt.Sprintf("answer longer than %d bytes; not read further", f.maxBytes)})
}

// networkError classifies a failed HTTP exchange by whether the request had
// been written.
func (f *failure) networkError(netErr error) *Error {
	if f.rctx.Err() != nil {
		return f.finish(contextError(f.parent, f.timeout, f.trip.sent, netErr))
	}
	if isCertificateError(netErr) {
		return f.finish(&Error{Class: Fatal, Code: CodeNetworkError,
			Message: "TLS certificate rejected: " + describe(netErr), Err: netErr})
	}
	if f.trip.sent {
		return f.finish(&Error{Class: InDoubt, Code: CodeNetworkError,
			Message: "request sent, no complete answer: " + describe(netErr), Err: netErr})
	}
	return f.finish(&Error{Class: Retryable, Code: CodeNetworkError,
		Message: "request not sent: " + describe(netErr), Err: netErr})
}

// statusError classifies an answer without an API error body by its status.
func (f *failure) statusError() *Error {
	s, ct := f.trip.status, f.trip.contentType
	class, code := statusClass(s)
	var msg string
	switch {
	case s >= 200 && s < 300:
		msg = fmt.Sprintf("HTTP %d answer is not a valid API response (Content-Type %q)", s, ct)
	case s >= 300 && s < 400:
		msg = fmt.Sprintf("unexpected HTTP %d %s; redirects are not followed, check Endpoint", s, http.StatusText(s))
	default:
		msg = fmt.Sprintf("HTTP %d %s without an API error body (Content-Type %q)", s, http.StatusText(s), ct)
	}
	notAPI := s != http.StatusTooManyRequests && s != http.StatusRequestTimeout
	return f.finish(&Error{Class: class, Code: code, Message: msg, NotAPI: notAPI})
}

// invalidResponse reports an HTTP 200 success whose body cannot be used.
func (f *failure) invalidResponse(msg string, err error) *Error {
	return f.finish(&Error{Class: InDoubt, Code: CodeInvalidResponse, Message: msg, Sent: true, Err: err})
}

// notAPIResponse reports an HTTP 200 whose body is not the API's at all
// (not JSON, or JSON without a Response object): something other than CIAM
// answered.
func (f *failure) notAPIResponse(msg string, err error) *Error {
	return f.finish(&Error{Class: InDoubt, Code: CodeInvalidResponse, Message: msg, Sent: true, Err: err, NotAPI: true})
}

// statusClass maps an HTTP status without an API error body to a class.
// 429 (the gateway's rate limit) and 408 (the request did not arrive in
// full) prove nothing was done. Every 5xx, 503 included, may come from a
// gateway after the backend did the work, so it is InDoubt (Retryable for
// idempotent calls, see finish).
func statusClass(status int) (Class, string) {
	switch {
	case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout:
		return Retryable, CodeHTTPStatus
	case status >= 500:
		return InDoubt, CodeHTTPStatus
	case status == http.StatusRequestEntityTooLarge, status == http.StatusRequestURITooLong,
		status == http.StatusRequestHeaderFieldsTooLarge:
		return Rejected, CodeHTTPStatus
	case status >= 300:
		return Fatal, CodeHTTPStatus
	}
	return InDoubt, CodeInvalidResponse
}

// finish fills in what every error of the call shares, marks a service
// that could not be reached, and reports in-doubt idempotent calls as
// retryable: resending them cannot do anything twice.
func (f *failure) finish(e *Error) *Error {
	e.Action = f.action
	e.HTTPStatus = f.trip.status
	e.Sent = e.Sent || f.trip.sent
	e.RetryAfter = f.trip.retryAfter
	if e.Code == CodeNetworkError || e.Code == CodeTimeout {
		e.Unreachable = f.trip.unreachable(e.Code == CodeTimeout, f.parent.Err() != nil)
	}
	if e.NotAPI {
		e.Endpoint = f.endpoint
	}
	if e.Class == InDoubt && Idempotent(f.action) {
		e.Class = Retryable
	}
	return bound(e)
}

// contextError describes a call ended by its context: the caller's
// cancellation or deadline (parent.Err() != nil), else the per-request
// timeout. The result satisfies errors.Is with the context's error.
func contextError(parent context.Context, timeout time.Duration, sent bool, netErr error) *Error {
	code, cause, msg := CodeTimeout, error(context.DeadlineExceeded), fmt.Sprintf("timed out after %s", timeout)
	if perr := parent.Err(); perr != nil {
		cause, msg = perr, "caller's deadline exceeded"
		if errors.Is(perr, context.Canceled) {
			code, msg = CodeCanceled, "canceled"
		}
	}
	class := Retryable
	if sent {
		class, msg = InDoubt, msg+" after the request was sent; it may have reached the service"
	} else {
		msg += " before the request was sent"
	}
	return &Error{Class: class, Code: code, Message: msg, Sent: sent, Err: joinCause(cause, netErr)}
}

// joinCause returns an error that Is cause and, when given, wraps netErr.
func joinCause(cause, netErr error) error {
	switch {
	case netErr == nil:
		return cause
	case errors.Is(netErr, cause):
		return netErr
	}
	return fmt.Errorf("%w: %w", cause, netErr)
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// describe is the text of a transport error without the *url.Error prefix
// ("Post \"https://…\": ").
func describe(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

// isCertificateError reports a server certificate the client rejected: a
// configuration problem that no retry fixes.
func isCertificateError(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &authority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}
