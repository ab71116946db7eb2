package ciam

import (
	"errors"
	"strings"
	"time"
	"unicode"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// ErrNoCredentials is returned (wrapped) by New when the chosen credential
// source (see Config) yields no usable key: nothing found, a source
// misconfigured, or temporary credentials (STS AssumeRole, CVM role) not
// obtained.
var ErrNoCredentials = errors.New("no CIAM credentials found")

// Error is the only error type the Client methods return. It never contains
// the request body or any secret of the request.
type Error struct {
	Class Class
	// Code is the API error code (e.g. "FailedOperation.EmailAlreadyExists"),
	// or one of the ClientError.* codes in codes.go for failures detected on
	// this side.
	Code    string
	Message string
	// RequestID is the service's RequestId, when it answered.
	RequestID string
	// Identifier says which identifier collided, for Conflict.
	Identifier Identifier
	// Action is the API action, e.g. "CreateUser".
	Action string
	// HTTPStatus is the status of the answer, 0 when none arrived.
	HTTPStatus int
	// Sent reports that the request may have reached the service: it was
	// (at least partly) written to a connection, or an answer arrived.
	Sent bool
	// RetryAfter is the delay a Retry-After response header asked for, 0
	// when there was none.
	RetryAfter time.Duration
	// Field names the request field a Rejected code points at ("Email",
	// "PhoneNumber", "Password", "UserName", "IndexedAttribute",
	// "UserGroup", "UserOrg", "CustomizationAttributes"); empty when the
	// code does not say.
	Field string
	// Unreachable reports that no connection to the service could be made:
	// DNS failure, connection refused, no route, a timeout while connecting,
	// or a failed TLS handshake (including a rejected certificate). Nothing
	// was sent. One such failure is Retryable (Fatal for a certificate), but
	// many in a row mean the endpoint is wrong or down: stop rather than
	// turning every row into a retry.
	Unreachable bool
	// NotAPI reports an answer that is not the CIAM API's: a body that is
	// not JSON or has no Response object, or an HTTP error status (but 429
	// and 408) without an API error body: a web server on a wrong port, a
	// proxy's error page. Many in a row mean the endpoint is wrong.
	NotAPI bool
	// Endpoint is the service's scheme://host, set for NotAPI errors.
	Endpoint string
	// Err is the underlying error: the SDK's *errors.TencentCloudSDKError for
	// API errors, the transport's error (e.g. *net.OpError, context.Canceled)
	// for network failures, nil otherwise.
	Err error
}

// Error formats the error as "create user: <Code>: <Message> (request <id>)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(opName(e.Action))
	b.WriteString(": ")
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// RateLimited reports an answer that means the request quota is exhausted:
// the code RequestLimitExceeded or any RequestLimitExceeded.* code, or an
// HTTP 429 without an API error body. The caller should slow down; the
// request was refused at the gateway and did nothing.
func (e *Error) RateLimited() bool {
	return hasSegmentPrefix(e.Code, "RequestLimitExceeded") || (e.Code == CodeHTTPStatus && e.HTTPStatus == 429)
}

// Busy reports FailedOperation.DataFlowTooManyRequests: the user store
// already has two unfinished import or export jobs. It is Retryable, but the
// remedy is to wait until a job finishes (poll ListJobs), not a short
// back-off.
func (e *Error) Busy() bool { return e.Code == CodeDataFlowTooManyRequests }

// opName turns an action name into a lowercase "verb noun": "CreateUser" →
// "create user", "DescribeUserById" → "describe user by id".
func opName(action string) string {
	if action == "" {
		return "call ciam"
	}
	var b strings.Builder
	for i, r := range action {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// withheldMessage replaces a server message that contains a secret.
const withheldMessage = "[message withheld: it contained a secret of the request]"

// secretHolder is a request that carries secrets (passwords, password
// hashes, salts).
type secretHolder interface{ secrets() []string }

// redactSecrets makes sure e carries no copy of any of secrets: a server
// message that echoes one is withheld entirely (masking only the secret would
// show where it was, and so what it was). Empty secrets are ignored.
func redactSecrets(e *Error, secrets []string) *Error {
	if e == nil {
		return e
	}
	for _, s := range secrets {
		if s != "" {
			redactOne(e, s)
		}
	}
	return e
}

func redactOne(e *Error, secret string) {
	if strings.Contains(e.Message, secret) {
		e.Message = withheldMessage
	}
	if e.Err == nil || !strings.Contains(e.Err.Error(), secret) {
		return
	}
	var te *tcerr.TencentCloudSDKError
	if errors.As(e.Err, &te) {
		e.Err = tcerr.NewTencentCloudSDKError(te.Code, withheldMessage, te.RequestId)
	} else {
		e.Err = errors.New(withheldMessage)
	}
}
