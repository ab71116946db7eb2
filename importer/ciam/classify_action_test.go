package ciam

import "testing"

// writeActions are not idempotent; idemActions are (reads and absolute
// writes).
var (
	writeActions = []string{ActionCreateUser, ActionCreateApiImportUserJob, "DeleteUsers", ""}
	idemActions  = []string{ActionListUserByProperty, ActionDescribeUser, ActionDescribeUserByID, ActionListUser,
		ActionListJobs, ActionUpdateUser, ActionSetPassword}
)

func TestIdempotent(t *testing.T) {
	for _, a := range writeActions {
		if Idempotent(a) {
			t.Errorf("Idempotent(%q) = true", a)
		}
	}
	for _, a := range idemActions {
		if !Idempotent(a) {
			t.Errorf("Idempotent(%q) = false", a)
		}
	}
}

// TestClassifyActionUncertainCodes: codes that do not prove nothing
// happened are InDoubt for writes and keep their class for idempotent calls.
func TestClassifyActionUncertainCodes(t *testing.T) {
	tests := []struct {
		code       string
		write, idm Class
	}{
		{"InternalError", InDoubt, Retryable},
		{"InternalError.UnknownError", InDoubt, Retryable},
		{"InternalError.JudgeUserExistException", InDoubt, Retryable},
		{"InternalError.SomethingNew", InDoubt, Retryable},
		{"ResourceUnavailable", InDoubt, Retryable},
		{"ResourceUnavailable.Maintenance", InDoubt, Retryable},
		{"ServiceUnavailable", InDoubt, Retryable},
		{"ServiceUnavailable.Busy", InDoubt, Retryable},
		{"ResourceInUse", InDoubt, Retryable},
		{"ResponseSizeLimitExceeded", InDoubt, Rejected},
		// These prove the call did nothing, whatever the action.
		{"RequestLimitExceeded", Retryable, Retryable},
		{"RequestLimitExceeded.FrequentRequest", Retryable, Retryable},
		{"RequestLimitExceeded.UinLimitExceeded", Retryable, Retryable},
		{"RequestLimitExceeded.Brand.New", Retryable, Retryable},
		{"FailedOperation.DataFlowTooManyRequests", Retryable, Retryable},
		{"FailedOperation.EmailAlreadyExists", Conflict, Conflict},
		{"FailedOperation.EmailIsNull", Rejected, Rejected},
		{"RequestSizeLimitExceeded", Rejected, Rejected},
		{"ResourceNotFound", Fatal, Fatal},
		{"AuthFailure.TokenFailure", Fatal, Fatal},
		{"FailedOperation.InvalidUserStore", Fatal, Fatal},
	}
	for _, tt := range tests {
		for _, a := range writeActions {
			if got, _ := ClassifyAction(a, tt.code); got != tt.write {
				t.Errorf("ClassifyAction(%q, %s) = %v, want %v", a, tt.code, got, tt.write)
			}
		}
		for _, a := range idemActions {
			if got, _ := ClassifyAction(a, tt.code); got != tt.idm {
				t.Errorf("ClassifyAction(%q, %s) = %v, want %v", a, tt.code, got, tt.idm)
			}
		}
		if got, _ := ClassifyCode(tt.code); got != tt.idm {
			t.Errorf("ClassifyCode(%s) = %v, want the idempotent class %v", tt.code, got, tt.idm)
		}
	}
}

// TestClassifyActionAgreesElsewhere: for every documented code that is not
// uncertain, ClassifyAction gives ClassifyCode's class for every action.
func TestClassifyActionAgreesElsewhere(t *testing.T) {
	for code, r := range codeTable {
		want, ident := ClassifyCode(code)
		for _, a := range append(append([]string{}, writeActions...), idemActions...) {
			got, gotIdent := ClassifyAction(a, code)
			if r.uncertain && !Idempotent(a) {
				want = InDoubt
			}
			if got != want || gotIdent != ident {
				t.Errorf("ClassifyAction(%q, %s) = %v, %q; want %v, %q", a, code, got, gotIdent, want, ident)
			}
			want, _ = ClassifyCode(code)
		}
	}
}

func TestRejectedField(t *testing.T) {
	want := map[string]string{
		"FailedOperation.EmailIsNull":             "Email",
		"FailedOperation.PhoneNumberIsNull":       "PhoneNumber",
		"FailedOperation.PasswordIsNull":          "Password",
		"FailedOperation.UserNameIsNull":          "UserName",
		"FailedOperation.IndexedAttributeTooLong": "IndexedAttribute",
		"FailedOperation.UserGroupNotFound":       "UserGroup",
		"FailedOperation.OrgNotFound":             "UserOrg",
		"FailedOperation.AttributeFormatError":    "CustomizationAttributes",
	}
	for code, r := range codeTable {
		if r.field != want[code] {
			t.Errorf("field of %s = %q, want %q", code, r.field, want[code])
		}
		if r.field != "" && r.class != Rejected {
			t.Errorf("%s has a field but is %v", code, r.class)
		}
	}
	for code := range want {
		if _, ok := codeTable[code]; !ok {
			t.Errorf("%s missing from codeTable", code)
		}
	}
}

func TestRateLimitedAndBusy(t *testing.T) {
	tests := []struct {
		e           Error
		limit, busy bool
	}{
		{Error{Code: "RequestLimitExceeded"}, true, false},
		{Error{Code: "RequestLimitExceeded.FrequentRequest"}, true, false},
		{Error{Code: "RequestLimitExceeded.GlobalRegionUinLimitExceeded"}, true, false},
		{Error{Code: "RequestLimitExceededX"}, false, false},
		{Error{Code: "LimitExceeded"}, false, false},
		{Error{Code: CodeHTTPStatus, HTTPStatus: 429}, true, false},
		{Error{Code: CodeHTTPStatus, HTTPStatus: 503}, false, false},
		// An API body wins over the status: a 429 carrying InternalError is
		// not a rate limit.
		{Error{Code: "InternalError", HTTPStatus: 429}, false, false},
		{Error{Code: "FailedOperation.DataFlowTooManyRequests"}, false, true},
		{Error{Code: "FailedOperation"}, false, false},
	}
	for _, tt := range tests {
		if got := tt.e.RateLimited(); got != tt.limit {
			t.Errorf("%s/%d RateLimited = %v", tt.e.Code, tt.e.HTTPStatus, got)
		}
		if got := tt.e.Busy(); got != tt.busy {
			t.Errorf("%s Busy = %v", tt.e.Code, got)
		}
	}
}
