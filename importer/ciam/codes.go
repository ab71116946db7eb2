package ciam

// Codes of failures detected on the client side, never sent by the service.
// They share the SDK's "ClientError." namespace so one Code column in a
// report can hold both kinds.
const (
	// CodeNetworkError: the HTTP exchange failed (dial, DNS, TLS, reset, EOF,
	// truncated body). Error.Sent says whether the request had been written.
	CodeNetworkError = "ClientError.NetworkError"
	// CodeTimeout: the per-request timeout or the caller's deadline expired.
	CodeTimeout = "ClientError.Timeout"
	// CodeCanceled: the caller's context was canceled.
	CodeCanceled = "ClientError.Canceled"
	// CodeHTTPStatus: a non-200 HTTP status without an API error body.
	CodeHTTPStatus = "ClientError.HTTPStatus"
	// CodeInvalidResponse: an HTTP 2xx answer that is not a usable API
	// response (not JSON, no Response object, wrong types, or a CreateUser
	// success without a User).
	CodeInvalidResponse = "ClientError.InvalidResponse"
	// CodeInvalidRequest: the request could not be built (nil request, or
	// parameters that do not encode). Nothing was sent.
	CodeInvalidRequest = "ClientError.InvalidRequest"
	// CodeInternal: the SDK failed before any HTTP exchange for a reason
	// this package does not recognise. Nothing was sent.
	CodeInternal = "ClientError.Internal"
)

// rule is the classification of one API error code.
type rule struct {
	class Class
	ident Identifier
}

// codeTable classifies every code listed for CreateUser (API docs and the
// SDK's client.go), every CIAM code in the SDK's errors.go, and every API 3.0
// common error code. Codes not listed fall to the prefix rules in classify.go.
var codeTable = map[string]rule{
	// Conflicts: a unique identifier is taken.
	"FailedOperation.EmailAlreadyExists":            {Conflict, IdentEmail},
	"FailedOperation.PhoneNumberAlreadyExists":      {Conflict, IdentPhone},
	"FailedOperation.UserNameAlreadyExists":         {Conflict, IdentUserName},
	"FailedOperation.AuthSourceNameAlreadyExists":   {Conflict, IdentUnknown},
	"FailedOperation.UserGroupNameAlreadyExists":    {Conflict, IdentUnknown},
	"FailedOperation.UserPropertyCodeAlreadyExists": {Conflict, IdentUnknown},
	"FailedOperation.UserStoreAlreadyExists":        {Conflict, IdentUnknown},
	"FailedOperation.UserStoreDomainAlreadyExists":  {Conflict, IdentUnknown},

	// Retryable: rate limits and transient service trouble.
	"RequestLimitExceeded":                              {Retryable, ""},
	"RequestLimitExceeded.FrequentRequest":              {Retryable, ""},
	"RequestLimitExceeded.RepeatRequest":                {Retryable, ""},
	"RequestLimitExceeded.GlobalRegionUinLimitExceeded": {Retryable, ""},
	"RequestLimitExceeded.IPLimitExceeded":              {Retryable, ""},
	"RequestLimitExceeded.UinLimitExceeded":             {Retryable, ""},
	"InternalError":                                     {Retryable, ""},
	"InternalError.JudgeUserExistException":             {Retryable, ""},
	"InternalError.UnknownError":                        {Retryable, ""},
	"InternalError.UserStoreCreateSecretFail":           {Retryable, ""},
	"InternalError.UserStoreDeleteUserFail":             {Retryable, ""},
	"ResourceUnavailable":                               {Retryable, ""},
	"ServiceUnavailable":                                {Retryable, ""},
	"ResourceInUse":                                     {Retryable, ""},
	"FailedOperation.DataFlowTooManyRequests":           {Retryable, ""},

	// Rejected: this row's data (or this one request) is bad.
	"FailedOperation":                         {Rejected, ""},
	"FailedOperation.AttributeFormatError":    {Rejected, ""},
	"FailedOperation.EmailIsNull":             {Rejected, ""},
	"FailedOperation.PhoneNumberIsNull":       {Rejected, ""},
	"FailedOperation.PasswordIsNull":          {Rejected, ""},
	"FailedOperation.UserNameIsNull":          {Rejected, ""},
	"FailedOperation.IndexedAttributeTooLong": {Rejected, ""},
	"FailedOperation.UserGroupNotFound":       {Rejected, ""},
	"FailedOperation.OrgNotFound":             {Rejected, ""},
	"FailedOperation.UserPropertyNotFound":    {Rejected, ""},
	"FailedOperation.UserNotFound":            {Rejected, ""},
	"FailedOperation.UserIsFreeze":            {Rejected, ""},
	"FailedOperation.UserStatusRequired":      {Rejected, ""},
	"FailedOperation.InvalidUserStatusEnum":   {Rejected, ""},
	"FailedOperation.AccountAlreadyBeLinked":  {Rejected, ""},
	"FailedOperation.AuthSourceNotFound":      {Rejected, ""},
	"FailedOperation.ImportUserIsEmpty":       {Rejected, ""},
	"FailedOperation.PrimaryUserNotFound":     {Rejected, ""},
	"FailedOperation.SecondaryUserNotFound":   {Rejected, ""},
	"InvalidParameter":                        {Rejected, ""},
	"InvalidParameter.ParameterIllegal":       {Rejected, ""},
	"InvalidParameterValue":                   {Rejected, ""},
	"MissingParameter":                        {Rejected, ""},
	"UnknownParameter":                        {Rejected, ""},
	"ResourceNotFound":                        {Rejected, ""},
	"RequestSizeLimitExceeded":                {Rejected, ""},
	"ResponseSizeLimitExceeded":               {Rejected, ""},

	// Fatal: credentials, account, user store, quota, endpoint or our own
	// query is wrong; no row can fix it.
	"AuthFailure":                                                      {Fatal, ""},
	"AuthFailure.InvalidAuthorization":                                 {Fatal, ""},
	"AuthFailure.InvalidSecretId":                                      {Fatal, ""},
	"AuthFailure.MFAFailure":                                           {Fatal, ""},
	"AuthFailure.SecretIdNotFound":                                     {Fatal, ""},
	"AuthFailure.SignatureExpire":                                      {Fatal, ""},
	"AuthFailure.SignatureFailure":                                     {Fatal, ""},
	"AuthFailure.TokenFailure":                                         {Fatal, ""},
	"AuthFailure.UnauthorizedOperation":                                {Fatal, ""},
	"UnauthorizedOperation":                                            {Fatal, ""},
	"UnauthorizedOperation.TenantNotActivated":                         {Fatal, ""},
	"FailedOperation.InvalidTenant":                                    {Fatal, ""},
	"FailedOperation.InvalidUserStore":                                 {Fatal, ""},
	"FailedOperation.UserStoreNotExist":                                {Fatal, ""},
	"FailedOperation.QuotaLimitExceeded":                               {Fatal, ""},
	"FailedOperation.QueryUsersParameterMustInWhitelist":               {Fatal, ""},
	"FailedOperation.QueryUsersParameterRepeat":                        {Fatal, ""},
	"FailedOperation.QueryUsersSortParameterMustInWhitelist":           {Fatal, ""},
	"LimitExceeded":                                                    {Fatal, ""},
	"OperationDenied":                                                  {Fatal, ""},
	"ResourceInsufficient":                                             {Fatal, ""},
	"ResourcesSoldOut":                                                 {Fatal, ""},
	"UnsupportedOperation":                                             {Fatal, ""},
	"UnsupportedOperation.EnabledAuthSourceCanNotBeDeleted":            {Fatal, ""},
	"UnsupportedOperation.EnabledAuthSourceCanNotBeUpdated":            {Fatal, ""},
	"UnsupportedOperation.InternalUserProperty":                        {Fatal, ""},
	"UnsupportedOperation.LinkedAppUserPropertyCanNotBeDeleted":        {Fatal, ""},
	"UnsupportedOperation.LinkedAuthSourceCanNotBeClosed":              {Fatal, ""},
	"UnsupportedOperation.LinkedAuthSourceCanNotBeDeleted":             {Fatal, ""},
	"UnsupportedOperation.LinkedAuthSourceUserPropertyCanNotBeDeleted": {Fatal, ""},
	"UnsupportedOperation.LinkedUserPropertyCanNotBeDeleted":           {Fatal, ""},
	"UnsupportedOperation.PlatformDomainSuffixCanNotBeUsed":            {Fatal, ""},
	"UnsupportedOperation.WhenUserExistUserPropertyCanNotBeDeleted":    {Fatal, ""},
	"ActionOffline":                                                    {Fatal, ""},
	"InvalidAction":                                                    {Fatal, ""},
	"NoSuchProduct":                                                    {Fatal, ""},
	"NoSuchVersion":                                                    {Fatal, ""},
	"UnsupportedProtocol":                                              {Fatal, ""},
	"UnsupportedRegion":                                                {Fatal, ""},
	"InvalidRegion":                                                    {Fatal, ""},
	"InvalidRequest":                                                   {Fatal, ""},
	"IpInBlacklist":                                                    {Fatal, ""},
	"IpNotInWhitelist":                                                 {Fatal, ""},
	// We never send DryRun; getting this means the request was not executed
	// and something upstream is misconfigured.
	"DryRunOperation": {Fatal, ""},
}
