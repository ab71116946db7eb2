package emulator

import "fmt"

// Error codes the emulator answers with. Common codes are the API 3.0 ones
// (reference §4); FailedOperation.* are CIAM's own (reference §2.9).
const (
	CodeInvalidAuthorization     = "AuthFailure.InvalidAuthorization"
	CodeSecretIDNotFound         = "AuthFailure.SecretIdNotFound"
	CodeSignatureExpire          = "AuthFailure.SignatureExpire"
	CodeSignatureFailure         = "AuthFailure.SignatureFailure"
	CodeTokenFailure             = "AuthFailure.TokenFailure"
	CodeInvalidAction            = "InvalidAction"
	CodeNoSuchVersion            = "NoSuchVersion"
	CodeMissingParameter         = "MissingParameter"
	CodeUnknownParameter         = "UnknownParameter"
	CodeInvalidParameter         = "InvalidParameter"
	CodeInvalidParameterValue    = "InvalidParameterValue"
	CodeRequestLimitExceeded     = "RequestLimitExceeded"
	CodeRequestSizeLimitExceeded = "RequestSizeLimitExceeded"
	CodeUnsupportedProtocol      = "UnsupportedProtocol"
	CodeUnsupportedOperation     = "UnsupportedOperation"
	CodeInternalError            = "InternalError"

	CodeAttributeFormatError    = "FailedOperation.AttributeFormatError"
	CodeEmailAlreadyExists      = "FailedOperation.EmailAlreadyExists"
	CodeEmailIsNull             = "FailedOperation.EmailIsNull"
	CodeIndexedAttributeTooLong = "FailedOperation.IndexedAttributeTooLong"
	CodeInvalidUserStore        = "FailedOperation.InvalidUserStore"
	CodeOrgNotFound             = "FailedOperation.OrgNotFound"
	CodePasswordIsNull          = "FailedOperation.PasswordIsNull"
	CodePhoneNumberExists       = "FailedOperation.PhoneNumberAlreadyExists"
	CodePhoneNumberIsNull       = "FailedOperation.PhoneNumberIsNull"
	CodeQuotaLimitExceeded      = "FailedOperation.QuotaLimitExceeded"
	CodeUserGroupNotFound       = "FailedOperation.UserGroupNotFound"
	CodeUserNameAlreadyExists   = "FailedOperation.UserNameAlreadyExists"
	CodeUserNameIsNull          = "FailedOperation.UserNameIsNull"
	CodeUserNotFound            = "FailedOperation.UserNotFound"
	CodeDataFlowTooManyRequests = "FailedOperation.DataFlowTooManyRequests"
	CodeImportUserIsEmpty       = "FailedOperation.ImportUserIsEmpty"
	CodeQueryNotInWhitelist     = "FailedOperation.QueryUsersParameterMustInWhitelist"
	CodeQueryRepeat             = "FailedOperation.QueryUsersParameterRepeat"
	CodeSortNotInWhitelist      = "FailedOperation.QueryUsersSortParameterMustInWhitelist"
)

// apiError is an error answered in the Response.Error object. en and zh are
// the two texts; X-TC-Language: zh-CN selects zh, anything else en.
type apiError struct {
	code, en, zh string
}

func (e *apiError) Error() string { return e.code + ": " + e.en }

func (e *apiError) message(lang string) string {
	if lang == "zh-CN" && e.zh != "" {
		return e.zh
	}
	return e.en
}

// newError builds the error for code with the catalogue's text.
func newError(code string) *apiError {
	if m, ok := catalogue[code]; ok {
		return &apiError{code: code, en: m[0], zh: m[1]}
	}
	return &apiError{code: code, en: "emulator: injected error " + code, zh: "模拟器注入的错误 " + code}
}

// errorf builds an error whose texts take one detail argument.
func errorf(code, en, zh string, arg any) *apiError {
	return &apiError{code: code, en: fmt.Sprintf(en, arg), zh: fmt.Sprintf(zh, arg)}
}

func errMissing(param string) *apiError {
	return errorf(CodeMissingParameter,
		"The request is missing a required parameter `%s`.", "缺少参数`%s`。", param)
}

func errUnknownParam(param string) *apiError {
	return errorf(CodeUnknownParameter,
		"The parameter `%s` is not recognized.", "未知参数错误，用户多传未定义的参数会导致错误：`%s`。", param)
}

func errParamType(param string) *apiError {
	return errorf(CodeInvalidParameter,
		"Parameter `%s` type error.", "参数错误（包括参数格式、类型等错误）：`%s`。", param)
}

func errBody() *apiError {
	return &apiError{code: CodeInvalidParameter,
		en: "The request body is not a valid JSON object.", zh: "请求包体不是合法的JSON对象。"}
}

func errParamValue(param string) *apiError {
	return errorf(CodeInvalidParameterValue,
		"A value specified in `%s` is not valid, is unsupported, or cannot be used.", "参数取值错误：`%s`。", param)
}

func errAuthorization(detail string) *apiError {
	return errorf(CodeInvalidAuthorization,
		"The request `Authorization` header does not conform to tencentcloud standards: %s.",
		"请求头部的`Authorization`不符合腾讯云标准：%s。", detail)
}

func errUnsupported(detail string) *apiError {
	return errorf(CodeUnsupportedOperation, "Unsupported operation: %s.", "操作不支持：%s。", detail)
}

func errRateLimited(seen, limit int) *apiError {
	return &apiError{code: CodeRequestLimitExceeded,
		en: fmt.Sprintf("Your current request times equals to `%d` in a second, which exceeds the frequency limit `%d` for a second. Please reduce the frequency of calls.", seen, limit),
		zh: fmt.Sprintf("您当前每秒请求 `%d` 次，超过了每秒频率上限 `%d`，请稍后重试。", seen, limit)}
}

// catalogue holds {English, Chinese} texts. Sources: messages observed from
// the real gateway where known, else reference §4 (common codes), §2.9
// (CIAM Chinese) and CreateUser-api.txt (CIAM English).
var catalogue = map[string][2]string{
	CodeSecretIDNotFound:                       {"The SecretId is not found, please ensure that your SecretId is correct.", "SecretId不存在，请输入正确的密钥。"},
	CodeSignatureExpire:                        {"The signature is expired, please request again.", "签名过期。Timestamp和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。"},
	CodeSignatureFailure:                       {"The provided credentials could not be validated. Please check your signature is correct.", "请求签名验证失败，请检查您的签名计算是否正确。"},
	CodeTokenFailure:                           {"Token error.", "token错误。"},
	CodeInvalidAction:                          {"The request `Action` is invalid or not found.", "接口不存在。"},
	CodeRequestSizeLimitExceeded:               {"The request size exceeds the upper limit.", "请求包超过限制大小。"},
	CodeUnsupportedProtocol:                    {"HTTP(S) request protocol error; only GET and POST requests are supported.", "http(s)请求协议错误，只支持GET和POST请求。"},
	CodeRequestLimitExceeded:                   {"The number of requests exceeds the frequency limit.", "请求的次数超过了频率限制。"},
	CodeInternalError:                          {"An internal error occurred.", "内部错误。"},
	"InternalError.UnknownError":               {"An unknown error occurred.", "未知错误。"},
	"FailedOperation":                          {"The operation failed.", "操作失败。"},
	"FailedOperation.InvalidTenant":            {"The tenant is invalid.", "无效租户。"},
	"InvalidParameter.ParameterIllegal":        {"The request parameter is invalid.", "请求参数不合法。"},
	"LimitExceeded":                            {"The quota limit is exceeded.", "超过配额限制。"},
	"OperationDenied":                          {"The operation was denied.", "操作被拒绝。"},
	"RequestLimitExceeded.FrequentRequest":     {"Too many requests. Try again later.", "请求过于频繁，请稍后再试。"},
	"RequestLimitExceeded.RepeatRequest":       {"Repeated request. Try again later.", "请求重复，请稍后再试。"},
	"ResourceInUse":                            {"The resource is in use.", "资源被占用。"},
	"ResourceInsufficient":                     {"The resource is insufficient.", "资源不足。"},
	"ResourceNotFound":                         {"The resource does not exist.", "资源不存在。"},
	"ResourceUnavailable":                      {"The resource is unavailable.", "资源不可用。"},
	"UnauthorizedOperation":                    {"The operation is unauthorized.", "未授权操作。"},
	"UnauthorizedOperation.TenantNotActivated": {"The service is not activated.", "服务未开通。"},
	CodeAttributeFormatError:                   {"The user attribute format is abnormal.", "用户属性格式异常。"},
	CodeEmailAlreadyExists:                     {"The email address has already been bound to a user.", "该邮箱已被用户绑定。"},
	CodeEmailIsNull:                            {"The email address cannot be empty.", "邮箱地址不能为空。"},
	CodeIndexedAttributeTooLong:                {"indexedAttribute can contain up to 512 characters.", "indexedAttribute最长512字符。"},
	CodeInvalidUserStore:                       {"The user pool is invalid.", "无效用户池。"},
	CodeOrgNotFound:                            {"The organization does not exist.", "组织机构不存在"},
	CodePasswordIsNull:                         {"The password cannot be empty.", "密码不能为空。"},
	CodePhoneNumberExists:                      {"The mobile number has already been bound to a user.", "该手机号已被用户绑定。"},
	CodePhoneNumberIsNull:                      {"The mobile number cannot be empty.", "电话号码不能为空。"},
	CodeQuotaLimitExceeded:                     {"The quota is exceeded. Contact customer service.", "配额超限，如有需求请联系客服人员。"},
	CodeUserGroupNotFound:                      {"The user group does not exist.", "用户组不存在。"},
	CodeUserNameAlreadyExists:                  {"The user name already exists.", "用户名称已存在。"},
	CodeUserNameIsNull:                         {"The username cannot be empty.", "用户名不能为空。"},
	CodeUserNotFound:                           {"The user does not exist.", "用户不存在。"},
	CodeDataFlowTooManyRequests:                {"There are already 2 active tasks. Please wait for some of them to complete and try again.", "已存在2个有效的任务，请等待其中一部分完成后重试。"},
	CodeImportUserIsEmpty:                      {"The user to import is empty.", "导入用户时，用户为空。"},
	CodeQueryNotInWhitelist: {
		"Query conditions must be one or more of id, userName, phoneNumber, email, userGroup, alipayUserId, wechatOpenId, wechatUnionId, qqOpenId, qqUnionId, lastModifiedDate, indexedAttribute1, indexedAttribute2, indexedAttribute3, indexedAttribute4, indexedAttribute5.",
		"查询条件必须包含id, userName, phoneNumber, email, userGroup, alipayUserId, wechatOpenId,wechatUnionId, qqOpenId, qqUnionId,lastModifiedDate, indexedAttribute1, indexedAttribute2,indexedAttribute3, indexedAttribute4, indexedAttribute5重的一个或者多个。"},
	CodeQueryRepeat: {"Query conditions must not repeat.", "查询用户条件不能有重复的条件。"},
	CodeSortNotInWhitelist: {
		"The PropertyKey of Sort must be one of id, userName, phoneNumber, email, userGroup, alipayUserId, wechatOpenId, wechatUnionId, qqOpenId, qqUnionId, lastModifiedDate, indexedAttribute1, indexedAttribute2, indexedAttribute3, indexedAttribute4, indexedAttribute5.",
		"Sort条件的PropertyKey必须在id, userName, phoneNumber, email, userGroup, alipayUserId, wechatOpenId,wechatUnionId, qqOpenId, qqUnionId,lastModifiedDate, indexedAttribute1, indexedAttribute2,indexedAttribute3, indexedAttribute4, indexedAttribute5中。"},
}
