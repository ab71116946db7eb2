package ciam

import (
	"errors"
	"strings"

	"github.com/ciam-import/ciam-import/importer/pace"
)

// NewPacer returns the pacer of CIAM calls: each action held to rate (<= 0:
// unlimited), answers read by Pacing.
func NewPacer(rate float64, retry pace.RetryPolicy, opts ...pace.Option) *pace.Pacer {
	return pace.New(rate, retry, Pacing, opts...)
}

// Pacing reads a call's error for the pacer: only an *Error of class
// Retryable is retried; a rate limit is any RequestLimitExceeded code or an
// HTTP 429 without an API body; an answer that is not the API's (a wrong
// endpoint) gets the few attempts of an unreachable service.
func Pacing(err error) pace.Verdict {
	var ce *Error
	if !errors.As(err, &ce) || ce.Class != Retryable {
		return pace.Verdict{}
	}
	return pace.Verdict{Retryable: true, RateLimited: IsRateLimit(ce), RetryAfter: ce.RetryAfter, Unreachable: ce.Unreachable || ce.NotAPI}
}

// IsRateLimit tells the answers that mean the quota is exhausted: any
// RequestLimitExceeded code, or an HTTP 429 without an API body.
func IsRateLimit(ce *Error) bool {
	return ce.Code == "RequestLimitExceeded" || strings.HasPrefix(ce.Code, "RequestLimitExceeded.") || ce.HTTPStatus == 429
}
