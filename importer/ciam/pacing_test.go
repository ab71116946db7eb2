package ciam_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/pace"
)

// Pacing gives the pacer what it needs of a *ciam.Error: only the
// Retryable class is retried, any RequestLimitExceeded code or a bare 429
// is a rate limit, and Retry-After and Unreachable pass through.
func TestPacing(t *testing.T) {
	create := ciam.ActionCreateUser
	limited := func(code string, status int) *ciam.Error {
		return &ciam.Error{Class: ciam.Retryable, Code: code, HTTPStatus: status}
	}
	after := ciamtest.Err(create, "RequestLimitExceeded")
	after.RetryAfter = 3 * time.Second
	unreachable := ciamtest.ClassErr(create, ciam.Retryable, ciam.CodeNetworkError)
	unreachable.Unreachable = true
	tests := []struct {
		name string
		err  error
		want pace.Verdict
	}{
		{"RequestLimitExceeded", limited("RequestLimitExceeded", 0), pace.Verdict{Retryable: true, RateLimited: true}},
		{"RequestLimitExceeded.FrequentRequest", limited("RequestLimitExceeded.FrequentRequest", 0), pace.Verdict{Retryable: true, RateLimited: true}},
		{"RequestLimitExceeded.UinLimitExceeded", limited("RequestLimitExceeded.UinLimitExceeded", 0), pace.Verdict{Retryable: true, RateLimited: true}},
		{"HTTP 429 without an API body", limited(ciam.CodeHTTPStatus, 429), pace.Verdict{Retryable: true, RateLimited: true}},
		{"RequestLimitExceededX", limited("RequestLimitExceededX", 0), pace.Verdict{Retryable: true}},
		{"LimitExceeded", limited("LimitExceeded", 0), pace.Verdict{Retryable: true}},
		{"InternalError", ciamtest.Err(create, "InternalError"), pace.Verdict{Retryable: true}},
		{"Retry-After", after, pace.Verdict{Retryable: true, RateLimited: true, RetryAfter: 3 * time.Second}},
		{"unreachable", unreachable, pace.Verdict{Retryable: true, Unreachable: true}},
		{"wrapped", fmt.Errorf("send: %w", ciamtest.Err(create, "InternalError")), pace.Verdict{Retryable: true}},
		{"in-doubt", ciamtest.Err(create, ciam.CodeTimeout), pace.Verdict{}},
		{"conflict", ciamtest.Err(create, "FailedOperation.EmailAlreadyExists"), pace.Verdict{}},
		{"rejected", ciamtest.Err(create, "InvalidParameter"), pace.Verdict{}},
		{"fatal", ciamtest.Err(create, "AuthFailure.SignatureFailure"), pace.Verdict{}},
		{"not a CIAM error", errors.New("boom"), pace.Verdict{}},
	}
	for _, tt := range tests {
		if got := ciam.Pacing(tt.err); got != tt.want {
			t.Errorf("%s: classify = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
