package emulator

import (
	"encoding/json"
	"io"
	"net/http"
)

// verifyPasswordRequest is the body of POST /_emulator/verify-password.
// The user is named by UserId, else by UserName.
type verifyPasswordRequest struct {
	UserStoreId string
	UserId      string
	UserName    string
	Password    string
}

// debugVerifyPassword answers {"ok":true|false}: whether Password matches
// the user's stored credential (CreateUser's or SetPassword's plaintext, or
// an imported MD5/SHA1/BCRYPT hash with its salt). 400 for a bad body, 404
// for an unknown store or user. The password is never logged.
func (s *Server) debugVerifyPassword(w http.ResponseWriter, r *http.Request) {
	var req verifyPasswordRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"Error": "body is not a JSON object"})
		return
	}
	st, ok := s.stores[req.UserStoreId]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"Error": "unknown user store " + req.UserStoreId})
		return
	}
	s.mu.Lock()
	pos := st.position(req.UserId)
	if pos < 0 && req.UserId == "" {
		if ps := st.index[propUserName][req.UserName]; len(ps) > 0 {
			pos = ps[0]
		}
	}
	var pw *storedPassword
	if pos >= 0 {
		pw = st.users[pos].pw
	}
	s.mu.Unlock()
	if pos < 0 {
		writeJSON(w, http.StatusNotFound, map[string]string{"Error": "no such user"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": pw.verify(req.Password)})
}
