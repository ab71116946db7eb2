// Package ciam is the importer's edge to Tencent Cloud CIAM (API version
// 2022-03-31): a typed client for CreateUser, ListUserByProperty,
// DescribeUser, DescribeUserById, ListUser, UpdateUser, SetPassword,
// CreateApiImportUserJob and ListJobs, and the one error taxonomy the rest of
// the importer branches on.
//
// # Transport
//
// Calls go through the SDK's common client (common.NewCommonClient +
// tchttp.NewCommonRequest), which signs every request with TC3-HMAC-SHA256;
// this package never signs. Every SDK retry is off (RateLimitExceededMaxRetries
// and NetworkFailureMaxRetries 0, region breaker disabled, no
// UnsafeRetryOnConnectionFailure), and a wrapper around the HTTP transport
// refuses a second HTTP exchange within one call, so a redirect cannot resend
// a CreateUser either. CreateUser and CreateApiImportUserJob have no
// ClientToken: a blind resend could do the work twice. Retrying is the job of
// the importer's single retry layer, driven by the classes below.
//
// Request bodies are built from the typed models with encoding/json (so
// `omitempty` drops empty optional fields; the SDK's own encoder, in its
// default OmitNil mode, would send "") and handed to the SDK as a map, which
// the SDK's encoder then writes and signs. Numbers survive exactly (they travel
// as json.Number). The SDK's debug dump is never enabled, so bodies are never
// logged; no error of this package contains a request body, and every method
// withholds a server message that echoes a secret of its request (CreateUser
// and SetPassword: Password; CreateApiImportUserJob: every user's Password,
// SaltValue and SaltLocationRule.Regex). The request types that carry secrets
// print and log redacted.
//
// Answers are read through a cap (Config.MaxResponseBytes, default 8 MiB,
// counted after decompression, never buffering more): a longer answer, or a
// Content-Length above the cap, ends the call with ClientError.ResponseTooLarge.
// Cancelling the context, or the per-call Timeout, aborts an answer that is
// still arriving. Answers come back through tchttp.CommonResponse and are
// decoded into the typed models; in the SDK's default build that object holds
// numbers as float64, so integers are exact up to 2^53 (every CIAM timestamp
// and id number is far below that).
//
// # Credentials
//
// See Config: an explicit key (with an optional session Token), a TCCLI
// Profile, or the CVM role, optionally exchanged for an assumed role
// (RoleArn, STS AssumeRole); when none is chosen, the environment
// (TENCENTCLOUD_SECRET_ID/KEY, with TENCENTCLOUD_SESSION_TOKEN) and then the
// SDK's credentials file. All of them are the SDK's providers. Temporary
// credentials are the SDK's RoleArnCredential and CvmRoleCredential, which
// renew themselves when they sign a request (the assumed role after a tenth
// of its lifetime, the CVM role 5 minutes before expiry), so a 14-hour run
// keeps valid keys; the token goes out as X-TC-Token. A failed renewal is
// logged by the SDK (standard logger) and retried on the next request while
// the old key is still valid; once it has expired the service answers
// AuthFailure.* (Fatal).
//
// # Errors
//
// Every non-nil error returned by a Client method is a *Error. Its Class says
// what the caller may do:
//
//	retryable  nothing happened (or the call is idempotent); send again after a back-off
//	in-doubt   the call may have done its work; reconcile by looking the user
//	           (or job) up, never by resending blindly
//	conflict   a unique identifier is taken (Error.Identifier says which)
//	rejected   this row's data is bad (Error.Field may say which field); report
//	           the row and go on
//	fatal      no row can fix it (credentials, user store, quota, endpoint); stop
//
// Error.RateLimited tells the quota answers (slow down), Error.Busy the
// "two unfinished jobs" answer (wait for a job), Error.Unreachable a service
// that could not be reached at all (stop after a few), Error.Sent whether the
// request may have reached the service.
//
// # Idempotency
//
// CreateUser and CreateApiImportUserJob are not idempotent (a resend creates a
// user or starts a job again), nor is any action this package does not know.
// For them, every failure that does not prove the call did nothing is
// in-doubt: the service can store the user and still answer InternalError, and
// a gateway can answer 502/504 after the backend did the work. Only answers
// that prove nothing happened stay retryable: the gateway's rate limits, a
// failure before the request was written, FailedOperation.DataFlowTooManyRequests
// (documented as "wait and retry": the job was not created), HTTP 429 and 408.
//
// The read-only actions (ListUserByProperty, DescribeUser, DescribeUserById,
// ListUser, ListJobs) and the absolute writes UpdateUser and SetPassword are
// idempotent: sending them again has the effect of sending them once, so what
// would be in-doubt is reported as retryable. (SetPassword: if a user store's
// password-history policy refused the current password, a resend after an
// unseen success would come back rejected; the reference is silent.)
// ClassifyAction(action, code) applies this; ClassifyCode(code) is the class
// for an idempotent call.
//
// # API error codes
//
// The table in codes.go covers every code listed for CreateUser, every CIAM
// code in the SDK's errors.go and every API 3.0 common error code:
//
//	conflict   FailedOperation.EmailAlreadyExists (email),
//	           .PhoneNumberAlreadyExists (phone_number), .UserNameAlreadyExists
//	           (user_name); any other code ending in AlreadyExists (identifier
//	           unknown)
//	retryable  RequestLimitExceeded[.*]: refused at the gateway before the action
//	           ran (.RepeatRequest too: our requests are never byte-identical,
//	           each is signed afresh)
//	           FailedOperation.DataFlowTooManyRequests: the job was refused
//	           (Error.Busy)
//	uncertain  InternalError[.*]: the backend failed at an unknown point
//	(in-doubt  ResourceUnavailable[.*], ServiceUnavailable[.*]: not documented as
//	for writes, refused-before-effect; may come from behind the gateway
//	retryable  ResourceInUse: a lock conflict, at an unknown point
//	otherwise) ResponseSizeLimitExceeded: the action ran, its answer was too big
//	           (rejected for idempotent calls: the same question gets the same
//	           answer; ask for less)
//	rejected   FailedOperation (bare), .AttributeFormatError (Field
//	           CustomizationAttributes), .EmailIsNull (Email), .PhoneNumberIsNull
//	           (PhoneNumber), .PasswordIsNull (Password), .UserNameIsNull
//	           (UserName), .IndexedAttributeTooLong (IndexedAttribute),
//	           .UserGroupNotFound (UserGroup), .OrgNotFound (UserOrg),
//	           .UserPropertyNotFound, .UserNotFound, .UserIsFreeze,
//	           .UserStatusRequired, .InvalidUserStatusEnum, .AccountAlreadyBeLinked,
//	           .ImportUserIsEmpty, .PrimaryUserNotFound,
//	           .SecondaryUserNotFound: each about the row (or batch) sent;
//	           InvalidParameter[.*], InvalidParameterValue[.*], MissingParameter[.*],
//	           UnknownParameter[.*]: these depend on the row too, because empty
//	           optional fields are not sent; RequestSizeLimitExceeded: a row or
//	           batch too big
//	fatal      AuthFailure[.*], UnauthorizedOperation[.*] (incl. TenantNotActivated):
//	           credentials or permissions; FailedOperation.InvalidUserStore,
//	           .UserStoreNotExist, .InvalidTenant, .AuthSourceNotFound: the
//	           configured store, its authentication sources, or the tenant; ResourceNotFound: no row field has this code (missing
//	           users, groups and orgs have their own), so it is an account-level
//	           resource such as the store; .QuotaLimitExceeded, LimitExceeded[.*]:
//	           a quota, not a rate; .QueryUsers*Whitelist/Repeat: our query is
//	           wrong; OperationDenied, ResourceInsufficient, ResourcesSoldOut,
//	           UnsupportedOperation[.*], InvalidAction, ActionOffline,
//	           NoSuchProduct, NoSuchVersion, UnsupportedProtocol, UnsupportedRegion,
//	           InvalidRegion, InvalidRequest, IpInBlacklist, IpNotInWhitelist:
//	           account, endpoint or network policy; DryRunOperation: we never
//	           send DryRun, something upstream is misconfigured
//
// A code not in the table is classified by the first matching rule (a prefix
// matches whole dot-separated segments):
//
//  1. AuthFailure.*, UnauthorizedOperation.*                      fatal
//  2. last segment ends in "AlreadyExists"                        conflict (identifier unknown)
//  3. RequestLimitExceeded.*                                      retryable
//  4. InternalError.*, ResourceUnavailable.*, ServiceUnavailable.* uncertain (as above)
//  5. LimitExceeded.*, OperationDenied.*, ResourceInsufficient.*,
//     ResourcesSoldOut.*, UnsupportedOperation.*, UnsupportedRegion.*,
//     UnsupportedProtocol.*, InvalidAction.*, NoSuchVersion.*,
//     NoSuchProduct.*, ActionOffline.*, InvalidRegion.*             fatal
//  6. ClientError.* (not an API code)                             in-doubt
//  7. anything else (incl. ResourceNotFound.*: a sub-code may name
//     a row's resource)                                           rejected, so the row is
//     reported rather than retried forever
//
// # Failures without an API error body
//
// These are classified from what the transport wrapper saw (see
// transport.go); "in-doubt" reads retryable for idempotent calls:
//
//	network error before the request was written          retryable  ClientError.NetworkError
//	  (dial, DNS, refused, TLS handshake; Unreachable),
//	  except a TLS certificate the client rejects           fatal (Unreachable)
//	network error after the request was written           in-doubt   ClientError.NetworkError
//	  (reset, EOF, truncated response body)
//	answer longer than Config.MaxResponseBytes            in-doubt   ClientError.ResponseTooLarge
//	per-request timeout before / after the write          retryable / in-doubt  ClientError.Timeout
//	  (before any connection: Unreachable)
//	caller's ctx canceled before / after the write        retryable / in-doubt  ClientError.Canceled
//	  (deadline: ClientError.Timeout); errors.Is(err, ctx.Err()) holds
//	HTTP 429 (RateLimited), 408                           retryable  ClientError.HTTPStatus
//	HTTP 5xx, 503 included (a gateway may answer it       in-doubt   ClientError.HTTPStatus
//	  after the backend did the work)
//	HTTP 413, 414, 431                                    rejected   ClientError.HTTPStatus
//	other HTTP 4xx, any 3xx (redirects are refused)       fatal      ClientError.HTTPStatus
//	HTTP 2xx whose body is not a valid API response,      in-doubt   ClientError.InvalidResponse
//	  or a success without its User / Job
//	bad request built locally (nil, empty import list)    fatal      ClientError.InvalidRequest
//
// An API error body is honoured whatever the HTTP status, as the SDK does.
//
// Cancellation is never retried: whatever its Class, an error caused by the
// caller's context satisfies errors.Is(err, context.Canceled) (or
// context.DeadlineExceeded), and the importer checks its context before
// acting on the Class.
package ciam
