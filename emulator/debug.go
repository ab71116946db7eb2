package emulator

import (
	"encoding/json"
	"net/http"
	"time"
)

// debugPrefix is the path of the unauthenticated introspection endpoints.
const debugPrefix = "/_emulator/"

// serveDebug answers GET /_emulator/{users,stats,calls,admitted,jobs}. These are
// emulator-only, unsigned, unmasked, and not subject to quota or faults.
func (s *Server) serveDebug(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch r.URL.Path {
	case debugPrefix + "users":
		s.debugUsers(w, q.Get("store"))
	case debugPrefix + "stats":
		writeJSON(w, http.StatusOK, debugStats{Stats: s.Stats(), MaxAdmittedPerSecond: s.maxPerSecond()})
	case debugPrefix + "calls":
		id := q.Get("identity")
		writeJSON(w, http.StatusOK, map[string]any{"Identity": id, "CreateCalls": s.CreateCalls(id)})
	case debugPrefix + "admitted":
		action := q.Get("action")
		ts := s.Admitted(action)
		writeJSON(w, http.StatusOK, map[string]any{"Action": action, "Admitted": ts,
			"MaxPerSecond": MaxPerWindow(ts, time.Second)})
	case debugPrefix + "jobs":
		s.debugJobs(w, q.Get("store"))
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"Error": "no such debug endpoint " + r.URL.Path})
	}
}

// debugStats is the body of GET /_emulator/stats.
type debugStats struct {
	Stats
	MaxAdmittedPerSecond map[string]int
}

func (s *Server) maxPerSecond() map[string]int {
	out := map[string]int{}
	for _, a := range emulatedActions {
		out[a] = MaxPerWindow(s.Admitted(a), time.Second)
	}
	return out
}

// debugUsers answers {"Users":[…]} for one store, or for every configured
// store in configuration order when store is empty.
func (s *Server) debugUsers(w http.ResponseWriter, store string) {
	stores := s.cfg.UserStores
	if store != "" {
		if _, ok := s.stores[store]; !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"Error": "unknown user store " + store})
			return
		}
		stores = []string{store}
	}
	users := []User{}
	for _, id := range stores {
		users = append(users, s.Users(id)...)
	}
	writeJSON(w, http.StatusOK, map[string]any{"Users": users})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// debugJobs answers {"Jobs":[…]}: the import jobs of one store, or of
// every store, in creation order.
func (s *Server) debugJobs(w http.ResponseWriter, store string) {
	jobs := []Job{}
	for _, id := range s.cfg.UserStores {
		if store == "" || store == id {
			jobs = append(jobs, s.Jobs(id)...)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"Jobs": jobs})
}
