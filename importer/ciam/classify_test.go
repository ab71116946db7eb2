package ciam

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

// createUserCodes is the error code list of CreateUser-api.txt (API docs),
// plus FailedOperation.OrgNotFound from the SDK's client.go (ciam-api.md §2.3).
var createUserCodes = []string{
	"AuthFailure", "DryRunOperation", "FailedOperation", "FailedOperation.AttributeFormatError",
	"FailedOperation.EmailAlreadyExists", "FailedOperation.EmailIsNull", "FailedOperation.IndexedAttributeTooLong",
	"FailedOperation.InvalidTenant", "FailedOperation.InvalidUserStore", "FailedOperation.PasswordIsNull",
	"FailedOperation.PhoneNumberAlreadyExists", "FailedOperation.PhoneNumberIsNull", "FailedOperation.QuotaLimitExceeded",
	"FailedOperation.UserGroupNotFound", "FailedOperation.UserNameAlreadyExists", "FailedOperation.UserNameIsNull",
	"InternalError", "InternalError.UnknownError", "InvalidParameter", "InvalidParameter.ParameterIllegal",
	"InvalidParameterValue", "LimitExceeded", "MissingParameter", "OperationDenied", "RequestLimitExceeded",
	"RequestLimitExceeded.FrequentRequest", "RequestLimitExceeded.RepeatRequest", "ResourceInUse",
	"ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable", "ResourcesSoldOut", "UnauthorizedOperation",
	"UnauthorizedOperation.TenantNotActivated", "UnknownParameter", "UnsupportedOperation",
	"FailedOperation.OrgNotFound",
}

// ciamCodes is every code constant of the SDK's ciam errors.go (ciam-api.md §2.9, 70 codes).
var ciamCodes = []string{
	"AuthFailure", "DryRunOperation", "FailedOperation", "FailedOperation.AccountAlreadyBeLinked",
	"FailedOperation.AttributeFormatError", "FailedOperation.AuthSourceNameAlreadyExists",
	"FailedOperation.AuthSourceNotFound", "FailedOperation.DataFlowTooManyRequests",
	"FailedOperation.EmailAlreadyExists", "FailedOperation.EmailIsNull", "FailedOperation.ImportUserIsEmpty",
	"FailedOperation.IndexedAttributeTooLong", "FailedOperation.InvalidTenant", "FailedOperation.InvalidUserStatusEnum",
	"FailedOperation.InvalidUserStore", "FailedOperation.OrgNotFound", "FailedOperation.PasswordIsNull",
	"FailedOperation.PhoneNumberAlreadyExists", "FailedOperation.PhoneNumberIsNull",
	"FailedOperation.PrimaryUserNotFound", "FailedOperation.QueryUsersParameterMustInWhitelist",
	"FailedOperation.QueryUsersParameterRepeat", "FailedOperation.QueryUsersSortParameterMustInWhitelist",
	"FailedOperation.QuotaLimitExceeded", "FailedOperation.SecondaryUserNotFound",
	"FailedOperation.UserGroupNameAlreadyExists", "FailedOperation.UserGroupNotFound", "FailedOperation.UserIsFreeze",
	"FailedOperation.UserNameAlreadyExists", "FailedOperation.UserNameIsNull", "FailedOperation.UserNotFound",
	"FailedOperation.UserPropertyCodeAlreadyExists", "FailedOperation.UserPropertyNotFound",
	"FailedOperation.UserStatusRequired", "FailedOperation.UserStoreAlreadyExists",
	"FailedOperation.UserStoreDomainAlreadyExists", "FailedOperation.UserStoreNotExist", "InternalError",
	"InternalError.JudgeUserExistException", "InternalError.UnknownError", "InternalError.UserStoreCreateSecretFail",
	"InternalError.UserStoreDeleteUserFail", "InvalidParameter", "InvalidParameter.ParameterIllegal",
	"InvalidParameterValue", "LimitExceeded", "MissingParameter", "OperationDenied", "RequestLimitExceeded",
	"RequestLimitExceeded.FrequentRequest", "RequestLimitExceeded.RepeatRequest", "ResourceInUse",
	"ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable", "ResourcesSoldOut", "UnauthorizedOperation",
	"UnauthorizedOperation.TenantNotActivated", "UnknownParameter", "UnsupportedOperation",
	"UnsupportedOperation.EnabledAuthSourceCanNotBeDeleted", "UnsupportedOperation.EnabledAuthSourceCanNotBeUpdated",
	"UnsupportedOperation.InternalUserProperty", "UnsupportedOperation.LinkedAppUserPropertyCanNotBeDeleted",
	"UnsupportedOperation.LinkedAuthSourceCanNotBeClosed", "UnsupportedOperation.LinkedAuthSourceCanNotBeDeleted",
	"UnsupportedOperation.LinkedAuthSourceUserPropertyCanNotBeDeleted",
	"UnsupportedOperation.LinkedUserPropertyCanNotBeDeleted", "UnsupportedOperation.PlatformDomainSuffixCanNotBeUsed",
	"UnsupportedOperation.WhenUserExistUserPropertyCanNotBeDeleted",
}

// commonCodes is every API 3.0 common error code (ciam-api.md §4), plus
// InvalidRegion.
var commonCodes = []string{
	"ActionOffline", "AuthFailure.InvalidAuthorization", "AuthFailure.InvalidSecretId", "AuthFailure.MFAFailure",
	"AuthFailure.SecretIdNotFound", "AuthFailure.SignatureExpire", "AuthFailure.SignatureFailure",
	"AuthFailure.TokenFailure", "AuthFailure.UnauthorizedOperation", "DryRunOperation", "FailedOperation",
	"InternalError", "InvalidAction", "InvalidParameter", "InvalidParameterValue", "InvalidRequest", "IpInBlacklist",
	"IpNotInWhitelist", "LimitExceeded", "MissingParameter", "NoSuchProduct", "NoSuchVersion", "RequestLimitExceeded",
	"RequestLimitExceeded.GlobalRegionUinLimitExceeded", "RequestLimitExceeded.IPLimitExceeded",
	"RequestLimitExceeded.UinLimitExceeded", "RequestSizeLimitExceeded", "ResourceInUse", "ResourceInsufficient",
	"ResourceNotFound", "ResourceUnavailable", "ResponseSizeLimitExceeded", "ServiceUnavailable",
	"UnauthorizedOperation", "UnknownParameter", "UnsupportedOperation", "UnsupportedProtocol", "UnsupportedRegion",
	"InvalidRegion",
}

// wantClass is the expected class of every listed code; identifiers are
// checked separately for conflicts.
var wantClass = map[string]Class{
	"FailedOperation.EmailAlreadyExists": Conflict, "FailedOperation.PhoneNumberAlreadyExists": Conflict,
	"FailedOperation.UserNameAlreadyExists": Conflict, "FailedOperation.AuthSourceNameAlreadyExists": Conflict,
	"FailedOperation.UserGroupNameAlreadyExists": Conflict, "FailedOperation.UserPropertyCodeAlreadyExists": Conflict,
	"FailedOperation.UserStoreAlreadyExists": Conflict, "FailedOperation.UserStoreDomainAlreadyExists": Conflict,

	"RequestLimitExceeded": Retryable, "RequestLimitExceeded.FrequentRequest": Retryable,
	"RequestLimitExceeded.RepeatRequest": Retryable, "RequestLimitExceeded.GlobalRegionUinLimitExceeded": Retryable,
	"RequestLimitExceeded.IPLimitExceeded": Retryable, "RequestLimitExceeded.UinLimitExceeded": Retryable,
	"InternalError": Retryable, "InternalError.JudgeUserExistException": Retryable,
	"InternalError.UnknownError": Retryable, "InternalError.UserStoreCreateSecretFail": Retryable,
	"InternalError.UserStoreDeleteUserFail": Retryable, "ResourceUnavailable": Retryable,
	"ServiceUnavailable": Retryable, "ResourceInUse": Retryable, "FailedOperation.DataFlowTooManyRequests": Retryable,

	"FailedOperation": Rejected, "FailedOperation.AttributeFormatError": Rejected, "FailedOperation.EmailIsNull": Rejected,
	"FailedOperation.PhoneNumberIsNull": Rejected, "FailedOperation.PasswordIsNull": Rejected,
	"FailedOperation.UserNameIsNull": Rejected, "FailedOperation.IndexedAttributeTooLong": Rejected,
	"FailedOperation.UserGroupNotFound": Rejected, "FailedOperation.OrgNotFound": Rejected,
	"FailedOperation.UserPropertyNotFound": Rejected, "FailedOperation.UserNotFound": Rejected,
	"FailedOperation.UserIsFreeze": Rejected, "FailedOperation.UserStatusRequired": Rejected,
	"FailedOperation.InvalidUserStatusEnum": Rejected, "FailedOperation.AccountAlreadyBeLinked": Rejected,
	"FailedOperation.ImportUserIsEmpty":   Rejected,
	"FailedOperation.PrimaryUserNotFound": Rejected, "FailedOperation.SecondaryUserNotFound": Rejected,
	"InvalidParameter": Rejected, "InvalidParameter.ParameterIllegal": Rejected, "InvalidParameterValue": Rejected,
	"MissingParameter": Rejected, "UnknownParameter": Rejected,
	"RequestSizeLimitExceeded": Rejected, "ResponseSizeLimitExceeded": Rejected,

	"AuthFailure": Fatal, "AuthFailure.InvalidAuthorization": Fatal, "AuthFailure.InvalidSecretId": Fatal,
	"AuthFailure.MFAFailure": Fatal, "AuthFailure.SecretIdNotFound": Fatal, "AuthFailure.SignatureExpire": Fatal,
	"AuthFailure.SignatureFailure": Fatal, "AuthFailure.TokenFailure": Fatal, "AuthFailure.UnauthorizedOperation": Fatal,
	"UnauthorizedOperation": Fatal, "UnauthorizedOperation.TenantNotActivated": Fatal,
	"FailedOperation.InvalidTenant": Fatal, "FailedOperation.InvalidUserStore": Fatal,
	"FailedOperation.UserStoreNotExist": Fatal, "FailedOperation.QuotaLimitExceeded": Fatal,
	"FailedOperation.QueryUsersParameterMustInWhitelist": Fatal, "FailedOperation.QueryUsersParameterRepeat": Fatal,
	"FailedOperation.QueryUsersSortParameterMustInWhitelist": Fatal, "LimitExceeded": Fatal, "OperationDenied": Fatal,
	"ResourceInsufficient": Fatal, "ResourcesSoldOut": Fatal, "UnsupportedOperation": Fatal,
	"UnsupportedOperation.EnabledAuthSourceCanNotBeDeleted": Fatal, "UnsupportedOperation.EnabledAuthSourceCanNotBeUpdated": Fatal,
	"UnsupportedOperation.InternalUserProperty": Fatal, "UnsupportedOperation.LinkedAppUserPropertyCanNotBeDeleted": Fatal,
	"UnsupportedOperation.LinkedAuthSourceCanNotBeClosed": Fatal, "UnsupportedOperation.LinkedAuthSourceCanNotBeDeleted": Fatal,
	"UnsupportedOperation.LinkedAuthSourceUserPropertyCanNotBeDeleted": Fatal,
	"UnsupportedOperation.LinkedUserPropertyCanNotBeDeleted":           Fatal,
	"UnsupportedOperation.PlatformDomainSuffixCanNotBeUsed":            Fatal,
	"UnsupportedOperation.WhenUserExistUserPropertyCanNotBeDeleted":    Fatal,
	"ActionOffline": Fatal, "InvalidAction": Fatal, "NoSuchProduct": Fatal, "NoSuchVersion": Fatal,
	"UnsupportedProtocol": Fatal, "UnsupportedRegion": Fatal, "InvalidRegion": Fatal, "InvalidRequest": Fatal,
	"IpInBlacklist": Fatal, "IpNotInWhitelist": Fatal, "DryRunOperation": Fatal, "ResourceNotFound": Fatal,
	"FailedOperation.AuthSourceNotFound": Fatal,
}

var wantIdent = map[string]Identifier{
	"FailedOperation.EmailAlreadyExists":       IdentEmail,
	"FailedOperation.PhoneNumberAlreadyExists": IdentPhone,
	"FailedOperation.UserNameAlreadyExists":    IdentUserName,
}

func TestClassifyCodeCoversEveryDocumentedCode(t *testing.T) {
	sources := map[string][]string{"CreateUser": createUserCodes, "ciam errors.go": ciamCodes, "common": commonCodes}
	for source, codes := range sources {
		for _, code := range codes {
			t.Run(source+"/"+code, func(t *testing.T) {
				want, ok := wantClass[code]
				if !ok {
					t.Fatalf("test has no expectation for %s", code)
				}
				if _, ok := codeTable[code]; !ok {
					t.Errorf("%s is not in codeTable (it must not rely on the prefix rules)", code)
				}
				class, ident := ClassifyCode(code)
				if class != want || ident != wantIdent[code] {
					t.Errorf("ClassifyCode(%s) = %v, %q; want %v, %q", code, class, ident, want, wantIdent[code])
				}
			})
		}
	}
	if len(ciamCodes) != 70 {
		t.Errorf("ciamCodes lists %d codes, errors.go has 70", len(ciamCodes))
	}
}

func TestClassifyUnknownCode(t *testing.T) {
	tests := []struct {
		code string
		want Class
	}{
		{"AuthFailure.SomethingNew", Fatal},
		{"UnauthorizedOperation.NewReason", Fatal},
		{"UnauthorizedOperation.ThingAlreadyExists", Fatal},
		{"FailedOperation.NicknameAlreadyExists", Conflict},
		{"InvalidParameter.ThingAlreadyExists", Conflict},
		{"RequestLimitExceeded.NewLimit", Retryable},
		{"InternalError.Database", Retryable},
		{"ResourceUnavailable.Maintenance", Retryable},
		{"ServiceUnavailable.Busy", Retryable},
		{"LimitExceeded.UserCount", Fatal},
		{"OperationDenied.RiskControl", Fatal},
		{"ResourceInsufficient.X", Fatal},
		{"ResourcesSoldOut.X", Fatal},
		{"UnsupportedOperation.New", Fatal},
		{"InvalidAction.X", Fatal},
		{"ClientError.NetworkError", InDoubt},
		{"FailedOperation.SomethingNew", Rejected},
		{"InvalidParameterValue.TooLong", Rejected},
		{"MissingParameter.Email", Rejected},
		{"UnknownParameter.Foo", Rejected},
		{"InternalErrorish", Rejected}, // prefixes match whole segments only
		{"RequestLimitExceededX", Rejected},
		{"Brand.New", Rejected},
		{"", Rejected},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got, ident := ClassifyCode(tt.code); got != tt.want || ident != IdentUnknown {
				t.Errorf("ClassifyCode(%q) = %v, %q; want %v", tt.code, got, ident, tt.want)
			}
		})
	}
}

func TestClassText(t *testing.T) {
	want := map[Class]string{NoError: "none", Retryable: "retryable", InDoubt: "in-doubt",
		Conflict: "conflict", Rejected: "rejected", Fatal: "fatal"}
	for c, name := range want {
		if c.String() != name {
			t.Errorf("%d.String() = %q, want %q", int(c), c.String(), name)
		}
		b, err := json.Marshal(map[string]Class{"class": c})
		if err != nil || string(b) != `{"class":"`+name+`"}` {
			t.Errorf("marshal %v = %s, %v", c, b, err)
		}
		var back Class
		if err := back.UnmarshalText([]byte(name)); err != nil || back != c {
			t.Errorf("UnmarshalText(%q) = %v, %v", name, back, err)
		}
	}
	if Class(42).String() != "Class(42)" {
		t.Errorf("Class(42).String() = %q", Class(42).String())
	}
	if _, err := Class(42).MarshalText(); err == nil {
		t.Error("MarshalText(42) did not fail")
	}
	var c Class
	if err := c.UnmarshalText([]byte("maybe")); err == nil {
		t.Error("UnmarshalText(maybe) did not fail")
	}
}

func TestClassOf(t *testing.T) {
	e := &Error{Class: Conflict, Code: "FailedOperation.EmailAlreadyExists", Action: ActionCreateUser}
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, NoError},
		{"error", e, Conflict},
		{"wrapped", fmt.Errorf("import row 3: %w", e), Conflict},
		{"foreign", errors.New("disk full"), Fatal},
	}
	for _, tt := range tests {
		if got := ClassOf(tt.err); got != tt.want {
			t.Errorf("%s: ClassOf = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Action: ActionCreateUser, Code: "FailedOperation.EmailAlreadyExists",
		Message: "该邮箱已被用户绑定。", RequestID: "e2e9e8aa-1"}
	want := "create user: FailedOperation.EmailAlreadyExists: 该邮箱已被用户绑定。 (request e2e9e8aa-1)"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	for action, op := range map[string]string{ActionDescribeUserByID: "describe user by id",
		ActionListUserByProperty: "list user by property", "": "call ciam"} {
		if got := (&Error{Action: action, Code: "X"}).Error(); got != op+": X" {
			t.Errorf("Error() = %q, want %q", got, op+": X")
		}
	}
}
