// Package ciam is the importer's edge to Tencent Cloud CIAM (API version
// 2022-03-31): a typed client for CreateUser, ListUserByProperty,
// DescribeUser and DescribeUserById, and the one error taxonomy the rest of
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
// a CreateUser either. CreateUser has no ClientToken: a blind resend could
// create a user twice. Retrying is the job of the importer's single retry
// layer, driven by the classes below.
//
// Request bodies are built from the typed models with encoding/json (so
// `omitempty` drops empty optional fields; the SDK's own encoder, in its
// default OmitNil mode, would send "") and handed to the SDK as a map, which
// the SDK's encoder then writes and signs. Numbers survive exactly (they travel
// as json.Number). The SDK's debug dump is never enabled, so the body (and its
// Password) is never logged; no error of this package contains the request
// body, and CreateUser withholds any server message that echoes the password.
//
// Responses come back through tchttp.CommonResponse and are decoded into the
// typed models. In the SDK's default build that response object holds numbers
// as float64, so integers are exact up to 2^53 (every CIAM timestamp and id
// number is far below that).
//
// # Errors
//
// Every non-nil error returned by a Client method is a *Error. Its Class says
// what the caller may do:
//
//	retryable  nothing happened (or nothing lasting); send again after a back-off
//	in-doubt   the request may have reached the service but no answer came;
//	           reconcile by looking the user up, never by resending blindly
//	conflict   a unique identifier is taken (Error.Identifier says which)
//	rejected   this row's data is bad; report the row and go on
//	fatal      no row can fix it (credentials, user store, quota, endpoint); stop
//
// API error codes are classified by ClassifyCode from a table that covers every
// code listed for CreateUser, every CIAM code in the SDK's errors.go and every
// API 3.0 common error code:
//
//	conflict   FailedOperation.EmailAlreadyExists (email),
//	           FailedOperation.PhoneNumberAlreadyExists (phone_number),
//	           FailedOperation.UserNameAlreadyExists (user_name),
//	           any other code ending in AlreadyExists (identifier unknown)
//	retryable  RequestLimitExceeded[.*], InternalError[.*], ResourceUnavailable[.*],
//	           ServiceUnavailable, ResourceInUse, FailedOperation.DataFlowTooManyRequests
//	rejected   FailedOperation (bare), FailedOperation.*IsNull, .AttributeFormatError,
//	           .IndexedAttributeTooLong, .UserGroupNotFound, .OrgNotFound,
//	           .UserPropertyNotFound, .UserNotFound and the other row-level
//	           FailedOperation codes, InvalidParameter[.*], InvalidParameterValue[.*],
//	           MissingParameter[.*], UnknownParameter[.*], ResourceNotFound,
//	           RequestSizeLimitExceeded, ResponseSizeLimitExceeded
//	fatal      AuthFailure[.*], UnauthorizedOperation[.*] (incl. TenantNotActivated),
//	           FailedOperation.InvalidUserStore, .UserStoreNotExist, .InvalidTenant,
//	           .QuotaLimitExceeded, .QueryUsers*Whitelist/Repeat (our query is wrong),
//	           LimitExceeded[.*] (a quota, not a rate: retrying cannot help),
//	           OperationDenied, ResourceInsufficient, ResourcesSoldOut,
//	           UnsupportedOperation[.*], InvalidAction, ActionOffline, NoSuchProduct,
//	           NoSuchVersion, UnsupportedProtocol, UnsupportedRegion, InvalidRegion,
//	           InvalidRequest, IpInBlacklist, IpNotInWhitelist, DryRunOperation
//
// A code not in the table is classified by the first matching rule (a prefix
// matches whole dot-separated segments):
//
//  1. AuthFailure.*, UnauthorizedOperation.*                      fatal
//  2. last segment ends in "AlreadyExists"                        conflict (identifier unknown)
//  3. RequestLimitExceeded.*, InternalError.*, ResourceUnavailable.*,
//     ServiceUnavailable.*                                        retryable
//  4. LimitExceeded.*, OperationDenied.*, ResourceInsufficient.*,
//     ResourcesSoldOut.*, UnsupportedOperation.*, UnsupportedRegion.*,
//     UnsupportedProtocol.*, InvalidAction.*, NoSuchVersion.*,
//     NoSuchProduct.*, ActionOffline.*, InvalidRegion.*             fatal
//  5. ClientError.* (not an API code)                             in-doubt
//  6. anything else                                               rejected, so the row is
//     reported rather than retried forever
//
// Failures without an API error body are classified at the call site, from
// what the transport wrapper saw (see transport.go):
//
//	network error before the request was written          retryable  ClientError.NetworkError
//	  (dial, DNS, refused, TLS handshake), except a TLS
//	  certificate the client rejects                        fatal
//	network error after the request was written           in-doubt   ClientError.NetworkError
//	  (reset, EOF, truncated response body)
//	per-request timeout before / after the write          retryable / in-doubt  ClientError.Timeout
//	caller's ctx canceled before / after the write        retryable / in-doubt  ClientError.Canceled
//	  (deadline: ClientError.Timeout); errors.Is(err, ctx.Err()) holds
//	HTTP 429, 503, 408                                    retryable  ClientError.HTTPStatus
//	other HTTP 5xx                                        in-doubt   ClientError.HTTPStatus
//	HTTP 413, 414, 431                                    rejected   ClientError.HTTPStatus
//	other HTTP 4xx, any 3xx (redirects are refused)       fatal      ClientError.HTTPStatus
//	HTTP 2xx whose body is not a valid API response,      in-doubt   ClientError.InvalidResponse
//	  or a CreateUser success without a User
//
// An API error body is honoured whatever the HTTP status, as the SDK does.
//
// For the read-only actions (ListUserByProperty, DescribeUser,
// DescribeUserById) in-doubt is reported as retryable: resending a read cannot
// create anything. Error.Sent still says whether the request may have reached
// the service.
//
// Cancellation is never retried: whatever its Class, an error caused by the
// caller's context satisfies errors.Is(err, context.Canceled) (or
// context.DeadlineExceeded), and the importer checks its context before
// acting on the Class.
package ciam
