// Package emulator is an in-memory emulator of the Tencent Cloud CIAM API,
// version 2022-03-31, faithful enough that the official Go SDK cannot tell
// it from the service. Builds have no network: every test of the importer
// runs against it, in-process (Start, New) or as cmd/ciam-emulator.
//
// References below are to sections of shared/reference/ciam-api.md.
//
// # Protocol
//
// TencentCloud API 3.0 over plain HTTP: POST to any path, JSON body,
// X-TC-Action/-Version/-Timestamp/-Region headers, and a TC3-HMAC-SHA256
// Authorization verified over the Host header received (port included), the
// raw body bytes and the SignedHeaders listed (content-type and host at
// least), with header values lowercased and trimmed (§3.3). Bodies are
// decoded with encoding/json, never compared as strings. X-TC-Content-SHA256:
// UNSIGNED-PAYLOAD is honoured.
//
// Every answer is HTTP 200, Content-Type application/json, with a dashed
// UUID RequestId: {"Response":{…,"RequestId":…}} or, for an error,
// {"Response":{"Error":{"Code":…,"Message":…},"RequestId":…}} (§3.4, §6.3).
// Messages come in English, or in Chinese when X-TC-Language is zh-CN (the
// SDK's default); the texts are those observed from the real gateway where
// known, else §4 and §2.9. Callers must branch on Code only.
//
// # Order of checks
//
// The gateway checks, for every action, stop at the first failure:
//
//  1. method: not POST is UnsupportedProtocol, but GET is
//     UnsupportedOperation (the service accepts GET; the emulator does not).
//  2. body over 10 MB: RequestSizeLimitExceeded.
//  3. X-TC-Action, then X-TC-Version missing: MissingParameter.
//  4. X-TC-Version other than 2022-03-31: NoSuchVersion.
//  5. X-TC-Action: not a CIAM action is InvalidAction; a CIAM action the
//     emulator does not implement (§2.2) is UnsupportedOperation.
//  6. Content-Type other than application/json: UnsupportedOperation.
//  7. Authorization missing, not TC3-HMAC-SHA256, malformed, or a scope
//     service other than ciam: AuthFailure.InvalidAuthorization.
//  8. X-TC-Timestamp missing: MissingParameter; not an integer:
//     InvalidParameter; more than 5 minutes from Config.Now either way:
//     AuthFailure.SignatureExpire.
//  9. SecretId other than Config.SecretID: AuthFailure.SecretIdNotFound.
//  10. X-TC-Token present (temporary credentials are not emulated):
//     AuthFailure.TokenFailure.
//  11. signature mismatch (wrong key, host, body, or a scope date that is not
//     the UTC date of the timestamp): AuthFailure.SignatureFailure.
//  12. X-TC-Region missing: MissingParameter (any region is accepted).
//  13. quota: RequestLimitExceeded (see Quota).
//
// Then the action decodes its body: not a JSON object, or a value of the
// wrong JSON type, is InvalidParameter; a key the action does not define, at
// any depth and compared case-sensitively, is UnknownParameter (§4). Then the
// fault injector runs (see Faults), then the action.
//
// # CreateUser
//
// Checks, in this order (the service does not document its order):
//
//   - UserStoreId absent: MissingParameter; empty or not in
//     Config.UserStores: FailedOperation.InvalidUserStore.
//   - PhoneNumber, Email, Password, UserName (the order of the API's
//     parameter table) absent, null, empty or blank:
//     FailedOperation.PhoneNumberIsNull, EmailIsNull, PasswordIsNull,
//     UserNameIsNull.
//   - Config.Patterns, when set: FailedOperation.AttributeFormatError.
//   - CustomizationAttributes: an entry that is null, has a blank Name, a Name
//     repeated in the request, no Value, or a Type other than STRING (the only
//     type ever documented): FailedOperation.AttributeFormatError.
//   - IndexedAttribute1..5 over 512 characters (runes):
//     FailedOperation.IndexedAttributeTooLong.
//   - a UserGroup id not in Config.UserGroups: FailedOperation.UserGroupNotFound.
//   - a UserOrg id not in Config.UserOrgs: FailedOperation.OrgNotFound. A nil
//     Config.UserOrgs accepts any org id.
//   - uniqueness within the user store, exact and case-sensitive, user name
//     first, then phone number, then email:
//     FailedOperation.UserNameAlreadyExists, PhoneNumberAlreadyExists,
//     EmailAlreadyExists. Checked and inserted atomically.
//   - Config.MaxUsersPerStore reached: FailedOperation.QuotaLimitExceeded.
//
// Success answers the whole User as in the official example (§2.3): 32-hex
// UserId, CreatedDate = LastModifiedDate in ms, Status NOT_ENABLED,
// UserDataSourceEnum 管理员添加, Primary true, AlreadyFirstLogin and
// IdentityVerified false, numeric TenantId, every request field echoed under
// its response name (UserGroup→UserGroups, UserOrg→UserOrgs,
// CustomizationAttributes→CustomAttributes), null for fields not sent, [] for
// empty lists. UserGroupNames and WeComUserOrgs are omitted, as in the
// example. Passwords are not kept.
//
// # Lookups
//
// They answer from the same store through exact-match indexes (O(1)):
//
//   - ListUserByProperty: PropertyCode phoneNumber or email (else
//     InvalidParameterValue), exact and case-sensitive; no match is "Users":[].
//   - DescribeUserById: "User":null when there is none.
//   - DescribeUser: Filters on the whitelisted keys (id, userName,
//     phoneNumber, email, userGroup, alipayUserId, wechatOpenId,
//     wechatUnionId, qqOpenId, qqUnionId, lastModifiedDate,
//     indexedAttribute1..5), else
//     FailedOperation.QueryUsersParameterMustInWhitelist; a repeated key is
//     FailedOperation.QueryUsersParameterRepeat. Conditions are ANDed;
//     OperateLogic is = (default), !=, >, <, >= or <= (numeric for
//     lastModifiedDate, else string order; userGroup takes = and != only);
//     "between", whose value format is undocumented, is InvalidParameterValue.
//     Logic false negates. Sort keys use the same whitelist
//     (FailedOperation.QueryUsersSortParameterMustInWhitelist), Order ASC or
//     DESC. Pageable and both its fields are required (MissingParameter);
//     PageNumber is 1-based (an open question in §7), PageSize and
//     PageNumber < 1 are InvalidParameterValue.
//
// Unless Original is true, lookups mask phone numbers and emails, as the
// service does by default (§2.5). The format is undocumented; the emulator
// follows the official examples: +86-198****5556, 132****@qq.com. CreateUser
// answers unmasked, as in its example. Every lookup checks UserStoreId
// (MissingParameter, FailedOperation.InvalidUserStore).
//
// # Quota
//
// Each action has its own quota of Config.Rate requests per second shared by
// every client (§5: the real key is action+region+sub-account; there is one
// account here). It is a strict sliding window: a request is admitted iff
// fewer than N requests were admitted in the preceding second, so no
// half-open one-second interval ever holds more than N admissions. Refused
// requests consume nothing and answer RequestLimitExceeded, the one code the
// SDK's own retry reacts to (§3.5). Admission times are recorded
// (Server.Admitted, MaxPerWindow). Rate <= 0 is unlimited.
//
// # Faults
//
// Config.Faults (or Server.SetFaults) injects, per admitted request, after
// decoding and separately for CreateUser and for lookups: a log-normal latency
// (median and 99th percentile), then with the configured probabilities one of:
// an error answer with a chosen code (nothing done), a dropped connection
// (nothing done: hijacked and closed without an answer), or a lost answer
// (the work is done, a CreateUser stores its user, then the connection
// closes). The server keeps working through the latency even when the client
// gives up, so a client timeout is in doubt, as with the service.
//
// Draws are seeded by Config.Seed, the action, the exact body and how many
// identical bodies came before: a given request meets the same fate in every
// run with the same seed, however concurrent clients interleave, and a resend
// gets a fresh draw.
//
// # Introspection
//
// Server.Users, CreateCalls, Stats and Admitted read the state from Go. The
// same is served, unauthenticated and unmasked, by GET /_emulator/users
// [?store=ID] ({"Users":[…]}), /_emulator/stats (Stats plus
// MaxAdmittedPerSecond per action), /_emulator/calls?identity=X and
// /_emulator/admitted?action=A.
package emulator
