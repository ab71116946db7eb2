package main

import (
	"io"
	"net/http"
	"net/http/httptest"
)

// lookupCases: a proxy that passes CreateUser to a failing service (the
// API's InternalError: in doubt, settled by a lookup) and answers every
// lookup with its own 502 page. The lookups' answers are not the API's:
// they count toward the streak, so the job stops within seconds (exit 5)
// instead of trying every row with lookups; the state then resumes.
func lookupCases() []hostileCase {
	return []hostileCase{
		{item: 21, name: "lookups answered by a proxy's 502 pages",
			do: func(h *hostileEnv) binRun {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Header.Get("X-TC-Action") == "CreateUser" {
						w.Header().Set("Content-Type", "application/json")
						_, _ = io.WriteString(w, `{"Response":{"Error":{"Code":"InternalError","Message":"try later"},"RequestId":"r-1"}}`)
						return
					}
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusBadGateway)
					_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
				}))
				h.t.Cleanup(srv.Close)
				in, m := h.write("users.csv", hostileCSV(20)), h.write("mapping.yaml", hostileMapping)
				return h.run(append(h.runArgs(in, m), "--endpoint", srv.URL)...)
			},
			code: exitFatal, stderr: []string{"answers in a row from http://127.0.0.1:", "were not the CIAM API's", "check --endpoint"},
			check: notAPIResumed},
	}
}
