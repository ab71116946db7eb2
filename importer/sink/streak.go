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
	// streakDataBeforeSuccess is the bar, before any success, for a
	// rejection whose code names no setting of the store or constant of
	// the mapping (ciam.SettingCode): a generic InvalidParameterValue is
	// what a store answers a weak legacy password with, and an export may
	// well begin with a few of those in a row.
	streakDataBeforeSuccess = 20
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
	code := ce.Code
	if ce.NotAPI {
		code = notAPICode // whatever the status: the same wrong endpoint
	}
	if code != s.code {
		s.code, s.n = code, 0
	}
	s.n++
	limit := streakAfterSuccess
	switch {
	case ce.Unreachable && !s.success:
		return &StreakError{Code: code, Rows: s.n, Last: ce, Unreachable: true}
	case ce.NotAPI:
		limit = streakBeforeSuccess
	case !s.success && ce.Class == ciam.Rejected && !ciam.SettingCode(ce.Code):
		limit = streakDataBeforeSuccess
	case !s.success:
		limit = streakBeforeSuccess
	}
	if s.n < limit {
		return nil
	}
	return &StreakError{Code: code, Rows: s.n, Last: ce, NotAPI: ce.NotAPI}
}

// notAPICode is the streak's code for answers that are not the API's.
const notAPICode = "(an answer that is not the CIAM API's)"

// StreakError stops a run whose rows all fail the same way.
type StreakError struct {
	Code        string
	Rows        int
	Last        *ciam.Error
	Unreachable bool // no request ever reached the service
	NotAPI      bool // the answers were not the API's (ciam.Error.NotAPI)
}

func (e *StreakError) Error() string {
	if e.NotAPI {
		return fmt.Sprintf("%d answers in a row from %s were not the CIAM API's (a web page, a proxy's error, a body that is not JSON): "+
			"check --endpoint (a wrong host or port, a proxy in the way); the rows from here on are left for the next run: %v", e.Rows, e.Last.Endpoint, e.Last)
	}
	if e.Unreachable {
		return fmt.Sprintf("cannot reach the CIAM service at all (check --endpoint, DNS, the network and TLS); no row was changed and all are left for the next run: %v", e.Last)
	}
	return fmt.Sprintf("%d rows in a row failed with %s, whatever their data: taken for a problem of the job, not of the rows "+
		"(check the endpoint, the user store and the credentials); the rows from here on are left for the next run: %v", e.Rows, e.Code, e.Last)
}

func (e *StreakError) Unwrap() error { return e.Last }

// notAPI records an in-doubt answer that was not the API's (a proxy's 5xx
// page, a non-JSON 200) like a failed row, so a wrong endpoint stops the
// job; other in-doubt answers are settled by a lookup and not counted.
// Lookups' answers are counted too (lookupResult). A nil streak counts
// nothing.
func (s *streak) notAPI(ce *ciam.Error) error {
	if s == nil || ce == nil || !ce.NotAPI {
		return nil
	}
	return s.fail(ce)
}
