package emulator

import "fmt"

const actionDeleteUsers = "DeleteUsers"

type deleteUsersRequest struct {
	UserStoreId string   `json:"UserStoreId"`
	UserIds     []string `json:"UserIds"`
}

// deleteUsers deletes the users of UserIds (reference §2.6: both fields
// required, the answer only a RequestId). The reference is silent on an
// unknown id; the emulator's reading: it is skipped, so a resend after a
// lost answer succeeds (a client must still check by lookup). An empty
// UserIds, or a blank id in it, is InvalidParameterValue.
func (s *Server) deleteUsers(req *deleteUsersRequest, p params, rid string) (any, *apiError) {
	if aerr := requireParams(p, "UserStoreId", "UserIds"); aerr != nil {
		return nil, aerr
	}
	st, aerr := s.store(req.UserStoreId)
	if aerr != nil {
		return nil, aerr
	}
	if len(req.UserIds) == 0 {
		return nil, errParamValue("UserIds")
	}
	for i, id := range req.UserIds {
		if id == "" {
			return nil, errParamValue(fmt.Sprintf("UserIds.%d", i))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range req.UserIds {
		if st.remove(id) {
			s.stats.deleted.Add(1)
		}
	}
	return requestIDResponse{RequestId: rid}, nil
}
