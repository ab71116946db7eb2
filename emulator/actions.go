package emulator

import (
	"fmt"
	"net/http"
)

// emulatedActions are the CIAM actions the emulator implements.
var emulatedActions = []string{
	actionCreateUser,
	actionListUserByProperty,
	actionDescribeUser,
	actionDescribeUserByID,
	actionListUser,
	actionUpdateUser,
	actionSetPassword,
	actionCreateApiImportUserJob,
	actionListJobs,
	actionCreateFileExportUserJob,
	actionDeleteUsers,
	actionListUserGroups,
	actionCreateUserGroup,
}

// otherCIAMActions exist in CIAM 2022-03-31 (reference §2.2) but are not
// emulated: they answer UnsupportedOperation rather than InvalidAction.
var otherCIAMActions = []string{
	"CreateUserStore", "DeleteUserGroups", "DeleteUserStore",
	"LinkAccount", "ListLogMessageByCondition",
	"ListUserStore", "ResetPassword",
	"UpdateUserGroup", "UpdateUserStatus", "UpdateUserStore",
}

// op performs an admitted, decoded action and returns its Response object.
type op func(requestID string) (any, *apiError)

// handle runs one admitted request: decode, injected latency and fault,
// the action itself, then the answer (or a lost answer).
func (s *Server) handle(w http.ResponseWriter, rc *call, body []byte) {
	run := s.prepare(rc.action, body)
	p := s.plan(rc.action, body)
	if !s.sleep(p.latency) {
		abort(w)
		return
	}
	switch p.kind {
	case faultDrop:
		s.stats.dropped.Add(1)
		abort(w)
		return
	case faultError:
		s.stats.injectedErrors.Add(1)
		s.fail(w, rc, newError(p.code))
		return
	}
	resp, aerr := run(rc.requestID)
	switch p.kind {
	case faultLose:
		s.stats.lostResponses.Add(1)
		abort(w)
		return
	case faultStoreThenError:
		s.stats.storedThenErrors.Add(1)
		s.fail(w, rc, newError(p.code))
		return
	case faultStoreThen5xx:
		s.stats.storedThen5xx.Add(1)
		writeGatewayError(w, p.status)
		return
	}
	if aerr != nil {
		s.fail(w, rc, aerr)
		return
	}
	s.log.Debug("ciam call", "action", rc.action, "request_id", rc.requestID, "latency", p.latency)
	writeResponse(w, resp)
}

// prepare decodes body for action. Decoding errors surface when the op
// runs, after fault injection, so a dropped request is dropped whatever
// its body. CreateUser calls are counted here, before any fault.
func (s *Server) prepare(action string, body []byte) op {
	switch action {
	case actionCreateUser:
		req, run := bind(body, s.createUser)
		if req != nil {
			s.countCall(req)
		}
		return run
	case actionListUserByProperty:
		return bindOp(body, s.listUserByProperty)
	case actionDescribeUser:
		return bindOp(body, s.describeUser)
	case actionListUser:
		return bindOp(body, s.listUser)
	case actionUpdateUser:
		return bindOp(body, s.updateUser)
	case actionSetPassword:
		return bindOp(body, s.setPassword)
	case actionCreateApiImportUserJob:
		return bindOp(body, s.createImportJob)
	case actionListJobs:
		return bindOp(body, s.listJobs)
	case actionCreateFileExportUserJob:
		return bindOp(body, s.createExportJob)
	case actionDeleteUsers:
		return bindOp(body, s.deleteUsers)
	case actionListUserGroups:
		return bindOp(body, s.listUserGroups)
	case actionCreateUserGroup:
		return bindOp(body, s.createUserGroup)
	default:
		return bindOp(body, s.describeUserByID)
	}
}

func bindOp[T any](body []byte, fn func(*T, params, string) (any, *apiError)) op {
	_, run := bind(body, fn)
	return run
}

// bind decodes body into a new T and returns it with the op that runs fn
// on it; on a decoding error the request is nil and the op reports it.
func bind[T any](body []byte, fn func(*T, params, string) (any, *apiError)) (*T, op) {
	req := new(T)
	p, aerr := decodeParams(body, req)
	if aerr != nil {
		return nil, func(string) (any, *apiError) { return nil, aerr }
	}
	return req, func(rid string) (any, *apiError) { return fn(req, p, rid) }
}

// plan decides the injected latency and fault of one admitted request.
func (s *Server) plan(action string, body []byte) plan {
	spec := s.spec.Load().forAction(action)
	if !spec.active() {
		return plan{}
	}
	return spec.decide(s.faults.forRequest(action, body))
}

// SetFaults replaces the fault configuration for requests admitted from now
// on; requests in flight keep their plan. The seeded draws continue.
func (s *Server) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("set faults: %w", err)
	}
	f = f.withDefaults()
	s.spec.Store(&f)
	return nil
}
