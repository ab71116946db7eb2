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
// Authorization verified over the Host header received (port included, or
// without it, as the official Node.js SDK signs it), the
// raw body bytes and the SignedHeaders listed (content-type and host at
// least), with header values lowercased and trimmed (§3.3). Bodies are
// decoded with encoding/json, never compared as strings. X-TC-Content-SHA256:
// UNSIGNED-PAYLOAD is honoured.
//
// Every answer (but the store-then-5xx fault's) is HTTP 200, Content-Type
// application/json, with a dashed
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
//  9. SecretId neither Config.SecretID nor one of Config.TempCredentials:
//     AuthFailure.SecretIdNotFound.
//  10. session token (see Temporary credentials): AuthFailure.TokenFailure.
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
// example. The password is kept as its SHA-256, only to answer
// /_emulator/verify-password; it is never answered nor logged.
//
// # UpdateUser and SetPassword
//
// The reference (§2.6, Appendix A, B) gives the fields and the codes, not
// what an absent or empty field means. The emulator's reading, for
// UpdateUser: UserId and UserStoreId required (MissingParameter,
// FailedOperation.InvalidUserStore); a field absent or null is unchanged;
// UserName, PhoneNumber or Email sent empty or blank is
// InvalidParameterValue (no documented way to remove an identity);
// Nickname, Address and IndexedAttribute1..5 sent empty are cleared (null);
// UserGroup, UserOrg and CustomizationAttributes sent replace the whole list
// ([] empties it); Birthdate sent replaces it. The sent values then pass the
// checks of CreateUser (patterns, attributes, indexed length, groups, orgs),
// an unknown UserId is FailedOperation.UserNotFound, and the user name,
// phone number and email must not belong to another user
// (…AlreadyExists; the user's own values are fine). LastModifiedDate
// becomes now, the lookups follow the new values at once and the old ones
// are free. The answer is the whole updated User, unmasked.
//
// SetPassword: UserStoreId and UserId required (MissingParameter); Password
// absent, empty or blank is FailedOperation.PasswordIsNull; an unknown user
// FailedOperation.UserNotFound; the stored credential is replaced by the
// new plaintext one; the answer is {"RequestId"}, as in the official
// example.
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
//     PageNumber < 1 are InvalidParameterValue, and so is a PageSize above
//     Config.MaxPageSize (the reference gives no maximum, §7; DemoConfig
//     and the binary use DefaultMaxPageSize, 100).
//   - ListUser: Pageable as DescribeUser; Filters {Key, Values, Logic} with
//     Key condition (the reference: "查询条件，用户ID，用户名称，手机或邮箱"),
//     userGroup, userOrg or weComUserOrg, else InvalidParameterValue. The
//     emulator's reading: condition matches a value that is a substring of
//     the user id, user name, phone number or email (a search: a client
//     must check the answers); userGroup and userOrg match exact ids;
//     weComUserOrg matches nothing. Exactly one value per filter unless
//     Config.ListUserAnyValue (then any value matches; undocumented);
//     Logic false negates; filters are ANDed; creation order.
//
// # Several users in one lookup
//
// The reference documents, for DescribeUser, Logic as "等于true，不等于
// false" (equal / not equal), not as AND/OR, and a repeated PropertyKey is
// FailedOperation.QueryUsersParameterRepeat. So N conditions on
// indexedAttribute1 cannot be OR-ed: there is no documented way to confirm N
// users by N indexed values in one request, and the emulator refuses it
// exactly as documented. Conditions on distinct keys are ANDed (the
// emulator's reading of "多条件查询"). What the documented operators do
// allow is a range: indexedAttribute1 >= X with Sort indexedAttribute1 ASC
// and PageSize N answers the N smallest values from X on, and with the
// same id also in indexedAttribute2, indexedAttribute2 <= Y bounds the range
// [X, Y]; the emulator compares as strings (the reference does not say how
// the service orders, nor that distinct keys are ANDed).
// ListUser's condition matches user id, name, phone or email only, never an
// indexed attribute.
//
// Unless Original is true, lookups mask phone numbers and emails, as the
// service does by default (§2.5). The format is undocumented; the emulator
// follows the official examples: +86-198****5556, 132****@qq.com. CreateUser
// answers unmasked, as in its example. Every lookup checks UserStoreId
// (MissingParameter, FailedOperation.InvalidUserStore).
//
// # Import job
//
// CreateApiImportUserJob and ListJobs (reference §2.8, Appendix A). The
// request: UserStoreId (MissingParameter, FailedOperation.InvalidUserStore),
// DataFlowUserCreateList absent (MissingParameter) or empty
// (FailedOperation.ImportUserIsEmpty), longer than Config.Import.BatchLimit
// (InvalidParameterValue: the reference gives no maximum; the default
// DefaultImportBatchLimit, 1000, is the emulator's choice), unknown keys at
// any depth (UnknownParameter), wrong types (InvalidParameter), then
// FailedOperation.DataFlowTooManyRequests when the store already has 2 jobs
// PENDING or PROCESSING (documented). The answer is the Job: 32-hex Id,
// Status PENDING, Type IMPORT_USER, CreatedDate in ms, Format and Location
// null, ErrorDetails [], FailedUsers null.
//
// The job then runs in the background: PENDING for Config.Import.StartDelay,
// PROCESSING at Config.Import.UsersPerSecond (<= 0: at once), COMPLETED.
// Each user is checked in order, where CreateUser's checks apply: at least
// one of the nine identifiers the reference lists (UserName, PhoneNumber,
// Email, WechatOpenId, WechatUnionId, AlipayUserId, QqOpenId, QqUnionId,
// WeComUserId), else FailedOperation.ImportUserIsEmpty (the emulator's
// choice of code); the patterns, custom attributes, indexed attribute
// length, user groups; the identity verification rule of §2.8
// (MissingParameter); Birthdate, a string, as 2006-01-02 (UTC) or epoch ms
// (else InvalidParameterValue); the password (below); then uniqueness of
// user name, phone number and email against every stored user, earlier
// users of the same job included; then Config.MaxUsersPerStore. A failing
// user is listed in Job.FailedUsers: FailedUserIdentification is the first
// identifier it carries, in the order above, as sent ("" if none: the
// reference's example shows a user id, which a failed user does not have);
// FailedReason is "<code>: <English message>", e.g.
// "FailedOperation.EmailAlreadyExists: The email address has already been
// bound to a user.". A stored user is not listed (the reference does not
// say it is), unless Config.Import.ListSucceeded (FailedReason ""). It gets
// a UserId, UserDataSourceEnum 接口导入 (the emulator's own value) and
// answers every lookup like a created user.
//
// Passwords: no PasswordEncryptTypeEnum is plaintext; MD5 and SHA1 take a
// hex digest (either case), BCRYPT a bcrypt hash; anything else, a digest of
// the wrong form, a Salt on a plaintext, or a Salt without a position is
// InvalidParameterValue for that user. The Salt's SaltLocationTypeEnum says
// what was hashed: HEAD salt+password, TAIL password+salt, OTHER the
// SaltLocationRule.Regex read as a template (the reference is silent: the
// emulator's reading) where {password} (exactly once) and {salt} stand for
// the two, e.g. "{salt}:{password}". Algorithm, hash and salt are stored.
//
// ListJobs answers the jobs named by JobIds, in that order, unknown ids left
// out, or every job of the store in creation order when JobIds is absent or
// empty, with the current Status and, once finished, FailedUsers ([] when
// none). Config.Import.FailRate makes jobs end FAILED (seeded by the job
// id); Config.Import.FailedStores says what a FAILED job stored: "none",
// "some" (the default: its first half, the hardest case for a client) or
// "all"; a FAILED job has one ErrorDetails entry.
//
// # Temporary credentials
//
// Config.TempCredentials lists keys accepted besides Config.SecretID, each
// with a session token and an optional expiry. A request signed with one
// must carry exactly its X-TC-Token; missing or wrong, or the key expired
// (by Config.Now), is AuthFailure.TokenFailure, the only token code the
// reference documents (§4), with the reason in the message. A token sent
// with the permanent key is AuthFailure.TokenFailure too.
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
// decoding and separately for CreateUser, the lookups (ListUserByProperty,
// DescribeUser, DescribeUserById, ListUser, ListJobs), CreateApiImportUserJob
// (ImportJob) and UpdateUser/SetPassword (Updates): a log-normal latency
// (median and 99th percentile), then with the configured probabilities one of:
// an error answer with a chosen code (nothing done), a dropped connection
// (nothing done: hijacked and closed without an answer), a lost answer
// (the work is done, a CreateUser stores its user, an import job is stored
// and runs, then the connection closes), store-then-error (the work is done,
// then one of the error codes is answered, as the service can answer
// InternalError after storing), or store-then-5xx (the work is done, then
// HTTP 502 or 504 with an HTML body, as a gateway answers when the backend
// was too slow; the SDK cannot parse it). The server keeps working through the latency even when the client
// gives up, so a client timeout is in doubt, as with the service.
//
// Draws are seeded by Config.Seed, the action, the exact body and how many
// identical bodies came before: a given request meets the same fate in every
// run with the same seed, however concurrent clients interleave, and a resend
// gets a fresh draw.
//
// # Introspection
//
// Server.Users, Jobs, VerifyPassword, CreateCalls, Stats and Admitted read
// the state from Go. The same is served, unauthenticated and unmasked, by
// GET /_emulator/users
// [?store=ID] ({"Users":[…]}), /_emulator/stats (Stats plus
// MaxAdmittedPerSecond per action), /_emulator/calls?identity=X,
// /_emulator/admitted?action=A and /_emulator/jobs[?store=ID]
// ({"Jobs":[…]}). POST /_emulator/verify-password with
// {"UserStoreId","UserId" (or "UserName"),"Password"} answers {"ok":bool}:
// whether the password matches the stored credential (CreateUser's,
// SetPassword's, or an imported hash with its salt); 404 for an unknown
// user.
//
// # Flags of cmd/ciam-emulator
//
// Besides the identity, quota and CreateUser fault flags: the same fault
// flags with the prefixes lookup-, import- and update-, each class with
// store-then-error-rate and store-then-5xx-rate; import-users-per-second,
// import-start-delay, import-batch-limit, import-list-succeeded,
// import-fail-rate, import-failed-stores; max-page-size,
// list-user-any-value; temp-credentials FILE (a JSON array of
// {"SecretId","SecretKey","Token","Expires"}).
//
// # Strict mode
//
// Config.Store (StoreSettings) models a real user store's own settings and
// the readings of what the reference leaves open. Its zero value is the
// lenient emulator described above. StrictSettings (ciam-emulator --strict)
// refuses custom attributes the store does not define
// (CodeUndefinedAttribute, a guessed code), weak plaintext passwords
// (StrongPasswordPolicy, InvalidParameterValue), epoch-millisecond
// ImportUser birthdates and a Password without PasswordEncryptTypeEnum;
// it clears the fields an UpdateUser leaves out, writes FailedReasons as
// Chinese free text, and keeps MD5/SHA1 hex as sent, so an upper-case
// digest imports but never signs in. ImportConfig.VanishRate loses jobs
// from ListJobs.
//
// # Export, deletion, user groups
//
// CreateFileExportUserJob writes an NDJSON file (one User per line, or the
// ExportPropertyMaps columns) and completes with Job.Location
// http://HOST:PORT/_emulator/exports/<job id>.ndjson, served unsigned.
// DeleteUsers removes users (unknown ids are skipped). ListUserGroups and
// CreateUserGroup name groups: Config.UserGroupNames, else "group<N>".
package emulator
