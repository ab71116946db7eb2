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
	// CodeResponseTooLarge: the answer was longer than
	// Config.MaxResponseBytes and was not read to its end.
	CodeResponseTooLarge = "ClientError.ResponseTooLarge"
)

// CodeDataFlowTooManyRequests is the service's answer when a user store has
// two unfinished import/export jobs; see Error.Busy.
const CodeDataFlowTooManyRequests = "FailedOperation.DataFlowTooManyRequests"

// rule is the classification of one API error code. class is the code's
// class for an idempotent or read-only call. uncertain marks codes that do
// not prove the call did nothing: a call that is not idempotent gets InDoubt
// for them instead. field names the request field a rejection points at.
type rule struct {
	class     Class
	ident     Identifier
	uncertain bool
	field     string
}

// codeTable classifies every code listed for CreateUser (API docs and the
// SDK's client.go), every CIAM code in the SDK's errors.go, and every API 3.0
// common error code. Codes not listed fall to the prefix rules in classify.go.
var codeTable = map[string]rule{
	// Conflicts: a unique identifier is taken.
	"FailedOperation.EmailAlreadyExists":            {class: Conflict, ident: IdentEmail},
	"FailedOperation.PhoneNumberAlreadyExists":      {class: Conflict, ident: IdentPhone},
	"FailedOperation.UserNameAlreadyExists":         {class: Conflict, ident: IdentUserName},
	"FailedOperation.AuthSourceNameAlreadyExists":   {class: Conflict},
	"FailedOperation.UserGroupNameAlreadyExists":    {class: Conflict},
	"FailedOperation.UserPropertyCodeAlreadyExists": {class: Conflict},
	"FailedOperation.UserStoreAlreadyExists":        {class: Conflict},
	"FailedOperation.UserStoreDomainAlreadyExists":  {class: Conflict},

	// Retryable, proving nothing happened: the gateway's rate limits, and
	// the documented refusal to start a third job.
	"RequestLimitExceeded":                              {class: Retryable},
	"RequestLimitExceeded.FrequentRequest":              {class: Retryable},
	"RequestLimitExceeded.RepeatRequest":                {class: Retryable},
	"RequestLimitExceeded.GlobalRegionUinLimitExceeded": {class: Retryable},
	"RequestLimitExceeded.IPLimitExceeded":              {class: Retryable},
	"RequestLimitExceeded.UinLimitExceeded":             {class: Retryable},
	CodeDataFlowTooManyRequests:                         {class: Retryable},

	// Retryable for idempotent calls, InDoubt otherwise: the service failed
	// somewhere, perhaps after doing the work.
	"InternalError":                           {class: Retryable, uncertain: true},
	"InternalError.JudgeUserExistException":   {class: Retryable, uncertain: true},
	"InternalError.UnknownError":              {class: Retryable, uncertain: true},
	"InternalError.UserStoreCreateSecretFail": {class: Retryable, uncertain: true},
	"InternalError.UserStoreDeleteUserFail":   {class: Retryable, uncertain: true},
	"ResourceUnavailable":                     {class: Retryable, uncertain: true},
	"ServiceUnavailable":                      {class: Retryable, uncertain: true},
	"ResourceInUse":                           {class: Retryable, uncertain: true},

	// Rejected: this row's data (or this one request) is bad. The parameter
	// codes depend on the row because empty optional fields are not sent:
	// a MissingParameter or UnknownParameter can come from one row only.
	"FailedOperation":                         {class: Rejected},
	"FailedOperation.AttributeFormatError":    {class: Rejected, field: "CustomizationAttributes"},
	"FailedOperation.EmailIsNull":             {class: Rejected, field: "Email"},
	"FailedOperation.PhoneNumberIsNull":       {class: Rejected, field: "PhoneNumber"},
	"FailedOperation.PasswordIsNull":          {class: Rejected, field: "Password"},
	"FailedOperation.UserNameIsNull":          {class: Rejected, field: "UserName"},
	"FailedOperation.IndexedAttributeTooLong": {class: Rejected, field: "IndexedAttribute"},
	"FailedOperation.UserGroupNotFound":       {class: Rejected, field: "UserGroup"},
	"FailedOperation.OrgNotFound":             {class: Rejected, field: "UserOrg"},
	"FailedOperation.UserPropertyNotFound":    {class: Rejected},
	"FailedOperation.UserNotFound":            {class: Rejected},
	"FailedOperation.UserIsFreeze":            {class: Rejected},
	"FailedOperation.UserStatusRequired":      {class: Rejected},
	"FailedOperation.InvalidUserStatusEnum":   {class: Rejected},
	"FailedOperation.AccountAlreadyBeLinked":  {class: Rejected},
	"FailedOperation.ImportUserIsEmpty":       {class: Rejected},
	"FailedOperation.PrimaryUserNotFound":     {class: Rejected},
	"FailedOperation.SecondaryUserNotFound":   {class: Rejected},
	"InvalidParameter":                        {class: Rejected},
	"InvalidParameter.ParameterIllegal":       {class: Rejected},
	"InvalidParameterValue":                   {class: Rejected},
	"MissingParameter":                        {class: Rejected},
	"UnknownParameter":                        {class: Rejected},
	// Too big a request: a row (or a batch of rows) too large.
	"RequestSizeLimitExceeded": {class: Rejected},
	// Too big an answer: the request was carried out but its answer could
	// not be returned, so a write is InDoubt; a read asking the same again
	// gets the same answer, so it is Rejected (ask for less).
	"ResponseSizeLimitExceeded": {class: Rejected, uncertain: true},

	// Fatal: credentials, account, user store, quota, endpoint or our own
	// query is wrong; no row can fix it.
	"AuthFailure":                              {class: Fatal},
	"AuthFailure.InvalidAuthorization":         {class: Fatal},
	"AuthFailure.InvalidSecretId":              {class: Fatal},
	"AuthFailure.MFAFailure":                   {class: Fatal},
	"AuthFailure.SecretIdNotFound":             {class: Fatal},
	"AuthFailure.SignatureExpire":              {class: Fatal},
	"AuthFailure.SignatureFailure":             {class: Fatal},
	"AuthFailure.TokenFailure":                 {class: Fatal},
	"AuthFailure.UnauthorizedOperation":        {class: Fatal},
	"UnauthorizedOperation":                    {class: Fatal},
	"UnauthorizedOperation.TenantNotActivated": {class: Fatal},
	// No row names an authentication source: a store configuration problem.
	"FailedOperation.AuthSourceNotFound":                     {class: Fatal},
	"FailedOperation.InvalidTenant":                          {class: Fatal},
	"FailedOperation.InvalidUserStore":                       {class: Fatal},
	"FailedOperation.UserStoreNotExist":                      {class: Fatal},
	"FailedOperation.QuotaLimitExceeded":                     {class: Fatal},
	"FailedOperation.QueryUsersParameterMustInWhitelist":     {class: Fatal},
	"FailedOperation.QueryUsersParameterRepeat":              {class: Fatal},
	"FailedOperation.QueryUsersSortParameterMustInWhitelist": {class: Fatal},
	"LimitExceeded":        {class: Fatal},
	"OperationDenied":      {class: Fatal},
	"ResourceInsufficient": {class: Fatal},
	"ResourcesSoldOut":     {class: Fatal},
	"UnsupportedOperation": {class: Fatal},
	"UnsupportedOperation.EnabledAuthSourceCanNotBeDeleted":            {class: Fatal},
	"UnsupportedOperation.EnabledAuthSourceCanNotBeUpdated":            {class: Fatal},
	"UnsupportedOperation.InternalUserProperty":                        {class: Fatal},
	"UnsupportedOperation.LinkedAppUserPropertyCanNotBeDeleted":        {class: Fatal},
	"UnsupportedOperation.LinkedAuthSourceCanNotBeClosed":              {class: Fatal},
	"UnsupportedOperation.LinkedAuthSourceCanNotBeDeleted":             {class: Fatal},
	"UnsupportedOperation.LinkedAuthSourceUserPropertyCanNotBeDeleted": {class: Fatal},
	"UnsupportedOperation.LinkedUserPropertyCanNotBeDeleted":           {class: Fatal},
	"UnsupportedOperation.PlatformDomainSuffixCanNotBeUsed":            {class: Fatal},
	"UnsupportedOperation.WhenUserExistUserPropertyCanNotBeDeleted":    {class: Fatal},
	"ActionOffline":       {class: Fatal},
	"InvalidAction":       {class: Fatal},
	"NoSuchProduct":       {class: Fatal},
	"NoSuchVersion":       {class: Fatal},
	"UnsupportedProtocol": {class: Fatal},
	"UnsupportedRegion":   {class: Fatal},
	"InvalidRegion":       {class: Fatal},
	"InvalidRequest":      {class: Fatal},
	"IpInBlacklist":       {class: Fatal},
	"IpNotInWhitelist":    {class: Fatal},
	// We never send DryRun; getting this means the request was not executed
	// and something upstream is misconfigured.
	"DryRunOperation": {class: Fatal},
	// ResourceNotFound names no row field (missing users, groups and orgs
	// have their own codes): the user store or another account-level
	// resource is missing, the same for every row.
	"ResourceNotFound": {class: Fatal},
}
