package emulator

import (
	"encoding/json"
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what the server did since it started.
type Stats struct {
	Requests       int64 // API requests received (debug endpoints excluded)
	Rejected       int64 // answered before the quota: protocol, auth, headers
	RateLimited    int64 // answered RequestLimitExceeded by the quota
	Admitted       int64 // passed the gateway checks and the quota
	FaultsInjected int64 // InjectedErrors + Dropped + LostResponses + StoredThen*
	InjectedErrors int64 // answered with an injected error code
	Dropped        int64 // connection closed before any work
	LostResponses  int64 // work done, connection closed without an answer
	// StoredThenErrors counts work done, then answered an error code.
	StoredThenErrors int64
	// StoredThen5xx counts work done, then answered HTTP 502/504, non-JSON.
	StoredThen5xx int64
	Created       int64 // users stored, by CreateUser or an import job
	Updated       int64 // users changed by UpdateUser or SetPassword
	Jobs          int64 // import jobs created
	Deleted       int64 // users deleted by DeleteUsers
	Exports       int64 // export jobs created
	// Errors counts every error answer by code, injected ones included.
	Errors map[string]int64
}

type counters struct {
	requests, rejected, rateLimited, admitted atomic.Int64
	injectedErrors, dropped, lostResponses    atomic.Int64
	storedThenErrors, storedThen5xx           atomic.Int64
	created, updated, jobs, deleted, exports  atomic.Int64
	mu                                        sync.Mutex
	errors                                    map[string]int64
}

func (c *counters) countError(code string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.errors == nil {
		c.errors = map[string]int64{}
	}
	c.errors[code]++
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	c := &s.stats
	st := Stats{
		Requests:       c.requests.Load(),
		Rejected:       c.rejected.Load(),
		RateLimited:    c.rateLimited.Load(),
		Admitted:       c.admitted.Load(),
		InjectedErrors: c.injectedErrors.Load(),
		Dropped:        c.dropped.Load(),
		LostResponses:  c.lostResponses.Load(),
		Created:        c.created.Load(),
		Updated:        c.updated.Load(),
		Jobs:           c.jobs.Load(),
		Deleted:        c.deleted.Load(),
		Exports:        c.exports.Load(),

		StoredThenErrors: c.storedThenErrors.Load(),
		StoredThen5xx:    c.storedThen5xx.Load(),
	}
	st.FaultsInjected = st.InjectedErrors + st.Dropped + st.LostResponses + st.StoredThenErrors + st.StoredThen5xx
	c.mu.Lock()
	st.Errors = maps.Clone(c.errors)
	c.mu.Unlock()
	if st.Errors == nil {
		st.Errors = map[string]int64{}
	}
	return st
}

// Users returns deep copies of the users of storeID, unmasked, in creation
// order; nil for an unknown store.
func (s *Server) Users(storeID string) []User {
	st, ok := s.stores[storeID]
	if !ok {
		return nil
	}
	s.mu.Lock()
	users := st.all()
	s.mu.Unlock()
	out := make([]User, len(users))
	for i, u := range users {
		out[i] = deepCopy(u)
	}
	return out
}

// deepCopy round-trips u through JSON so the caller shares no memory with
// the store. Marshalling a User cannot fail.
func deepCopy(u *User) User {
	b, _ := json.Marshal(u)
	var c User
	_ = json.Unmarshal(b, &c)
	return c
}

// CreateCalls returns how many admitted CreateUser calls carried identity as
// their user name, email or phone number, whatever their outcome (stored,
// rejected, dropped, answer lost). Calls refused by the quota or the gateway
// checks, and calls whose body did not decode, are not counted.
func (s *Server) CreateCalls(identity string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[identity]
}

// Admitted returns the time of every request of action admitted by the
// quota, oldest first, read from the server clock. With a quota of N,
// MaxPerWindow(Admitted(action), time.Second) <= N always holds.
func (s *Server) Admitted(action string) []time.Time {
	lim, ok := s.limiters[action]
	if !ok {
		return nil
	}
	return lim.timestamps()
}

// Jobs returns copies of the import jobs of storeID in creation order, as
// ListJobs would answer them; nil for an unknown store.
func (s *Server) Jobs(storeID string) []Job {
	if _, ok := s.stores[storeID]; !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Job{}
	for _, j := range s.jobs[storeID] {
		out = append(out, j.snapshot())
	}
	return out
}

// VerifyPassword reports whether password matches the stored credential of
// user userID in storeID (false for an unknown user or one without a
// password), as POST /_emulator/verify-password does.
func (s *Server) VerifyPassword(storeID, userID, password string) bool {
	st, ok := s.stores[storeID]
	if !ok {
		return false
	}
	s.mu.Lock()
	pos := st.position(userID)
	var pw *storedPassword
	if pos >= 0 {
		pw = st.users[pos].pw
	}
	s.mu.Unlock()
	return pw.verify(password)
}
