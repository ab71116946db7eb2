package sink

import (
	"fmt"
	"sync"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// Thresholds of streak: how many rows in a row may fail with the same code
// before the code is taken for a condition of the run, not of the rows.
const (
	streakBeforeSuccess = 5  // no request has worked yet: a wrong endpoint, store or setting
	streakAfterSuccess  = 50 // requests worked before: something changed on the service
)

// streak stops the run when one code fails row after row regardless of the
// rows' data (a user store gone, ResourceNotFound, a service that cannot be
// reached): without it, every row of a million-row input would be reported
// rejected or retryable one by one. The rows after the streak are left for
// the next run. Safe for concurrent use.
type streak struct {
	mu      sync.Mutex
	code    string
	n       int
	success bool
}

// ok records a request that worked.
func (s *streak) ok() {
	s.mu.Lock()
	s.success, s.n = true, 0
	s.mu.Unlock()
}

// fail records a row that failed with ce, and returns the error that must
// stop the run when the streak is long enough.
func (s *streak) fail(ce *ciam.Error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ce.Code != s.code {
		s.code, s.n = ce.Code, 0
	}
	s.n++
	limit := streakAfterSuccess
	switch {
	case ce.Unreachable && !s.success:
		return &StreakError{Code: ce.Code, Rows: s.n, Last: ce, Unreachable: true}
	case !s.success:
		limit = streakBeforeSuccess
	}
	if s.n < limit {
		return nil
	}
	return &StreakError{Code: ce.Code, Rows: s.n, Last: ce}
}

// StreakError stops a run whose rows all fail the same way.
type StreakError struct {
	Code        string
	Rows        int
	Last        *ciam.Error
	Unreachable bool // no request ever reached the service
}

func (e *StreakError) Error() string {
	if e.Unreachable {
		return fmt.Sprintf("cannot reach the CIAM service at all (check --endpoint, DNS, the network and TLS); no row was changed and all are left for the next run: %v", e.Last)
	}
	return fmt.Sprintf("%d rows in a row failed with %s, whatever their data: taken for a problem of the job, not of the rows "+
		"(check the endpoint, the user store and the credentials); the rows from here on are left for the next run: %v", e.Rows, e.Code, e.Last)
}

func (e *StreakError) Unwrap() error { return e.Last }
