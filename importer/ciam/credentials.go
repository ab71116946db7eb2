package ciam

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// Environment variables read for credentials. The first two are read by the
// SDK's DefaultEnvProvider; the SDK (v1.3.211) reads no token variable, so
// this package reads EnvSessionToken itself and attaches it to the
// environment's key.
const (
	EnvSecretID     = "TENCENTCLOUD_SECRET_ID"
	EnvSecretKey    = "TENCENTCLOUD_SECRET_KEY"
	EnvSessionToken = "TENCENTCLOUD_SESSION_TOKEN"
)

// Role assumption limits of STS AssumeRole, as the SDK enforces them.
const (
	DefaultRoleDuration = 2 * time.Hour
	MaxRoleDuration     = 12 * time.Hour
)

// credential picks the credential source Config chooses (see Config) and
// returns the SDK credential for it. Temporary credentials (RoleArn,
// CVMRole) are the SDK's RoleArnCredential and CvmRoleCredential, which
// renew themselves before they expire, on the call that signs a request.
// Errors wrap ErrNoCredentials and name no secret.
func (c Config) credential() (common.CredentialIface, error) {
	src, err := c.sourceCredential()
	if err != nil {
		return nil, err
	}
	if c.RoleArn == "" {
		return src, nil
	}
	return c.assumeRole(src)
}

// sourceCredential is the key of the chosen source, or of the default
// order: environment (with EnvSessionToken), then the SDK's credentials
// file.
func (c Config) sourceCredential() (common.CredentialIface, error) {
	explicit := c.SecretID != "" || c.SecretKey != "" || c.Token != ""
	cvm := c.CVMRole || c.CVMRoleName != ""
	if countTrue(explicit, c.Profile != "", cvm) > 1 {
		return nil, fmt.Errorf("%w: choose one of SecretID/SecretKey, Profile and CVMRole", ErrNoCredentials)
	}
	switch {
	case explicit && (c.SecretID == "" || c.SecretKey == ""):
		return nil, fmt.Errorf("%w: SecretID and SecretKey must be set together", ErrNoCredentials)
	case explicit:
		if err := checkKeyShape("the configuration", c.SecretID, c.SecretKey); err != nil {
			return nil, err
		}
	}
	switch {
	case explicit && c.Token != "":
		return common.NewTokenCredential(c.SecretID, c.SecretKey, c.Token), nil
	case explicit:
		return common.NewCredential(c.SecretID, c.SecretKey), nil
	case c.Profile != "":
		cred, err := fromProvider("profile "+c.Profile, common.NewTccliProfileProvider(c.Profile))
		if err != nil {
			return nil, err
		}
		return cred, checkKeyShape("profile "+c.Profile, cred.GetSecretId(), cred.GetSecretKey())
	case cvm:
		return fromProvider("CVM role", common.NewCvmRoleProvider(c.CVMRoleName))
	}
	return c.defaultCredential()
}

// fromProvider asks one SDK provider. A failure whose text contains one of
// secrets is reported by its code only.
func fromProvider(what string, p common.Provider, secrets ...string) (common.CredentialIface, error) {
	cred, err := p.GetCredential()
	if err == nil {
		return cred, nil
	}
	msg := credentialMessage(err)
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = sdkCode(err) + ": [message withheld: it contained a secret]"
		}
	}
	return nil, fmt.Errorf("%w: %s: %s", ErrNoCredentials, what, msg)
}

// sdkCode is the SDK error code of err, or "error".
func sdkCode(err error) string {
	var te *tcerr.TencentCloudSDKError
	if errors.As(err, &te) {
		return te.Code
	}
	return "error"
}

// assumeRole exchanges src for the role's temporary credentials through the
// SDK's RoleArnProvider (STS AssumeRole over HTTPS at STSEndpoint). The
// RoleArnCredential it returns renews itself once a tenth of its lifetime
// has passed, on the next signing; a failed renewal keeps the previous key
// (the SDK logs the failure through the standard logger) and is retried on
// every following call until the key expires, after which the service
// answers AuthFailure (Fatal).
func (c Config) assumeRole(src common.CredentialIface) (common.CredentialIface, error) {
	d := c.RoleDuration
	if d == 0 {
		d = DefaultRoleDuration
	}
	if d < time.Second || d > MaxRoleDuration {
		return nil, fmt.Errorf("%w: RoleDuration %s is outside 1s..%s", ErrNoCredentials, d, MaxRoleDuration)
	}
	name := c.RoleSessionName
	if name == "" {
		name = fmt.Sprintf("ciam-import-%d", time.Now().Unix())
	}
	host := strings.TrimSuffix(strings.TrimPrefix(c.STSEndpoint, "https://"), "/")
	if strings.Contains(host, "://") || strings.Contains(host, "/") {
		return nil, fmt.Errorf("%w: STSEndpoint must be an https host[:port]", ErrNoCredentials)
	}
	p := common.NewRoleArnProviderWithCredential(src, c.RoleArn, name, int64(d/time.Second))
	p.Endpoint = host
	_, key, token := src.GetCredential()
	return fromProvider("assume role", p, key, token)
}

// credentialMessage describes a provider failure without secrets: the SDK's
// own client-side messages can quote a whole answer or file ("Fail to parse
// json content: <body>"), so for those only the code is kept; service
// errors keep code, message and request id.
func credentialMessage(err error) string {
	var te *tcerr.TencentCloudSDKError
	if !errors.As(err, &te) {
		var (
			ue *url.Error
			pe *fs.PathError
		)
		if errors.As(err, &ue) || errors.As(err, &pe) {
			return err.Error()
		}
		return fmt.Sprintf("credential source failed (%T)", err)
	}
	if hasSegmentPrefix(te.Code, "ClientError") {
		if te.Code == "ClientError.CredentialError" && !strings.Contains(te.Message, "json") {
			return te.Code + ": " + te.Message
		}
		return te.Code
	}
	msg := te.Code + ": " + te.Message
	if te.RequestId != "" {
		msg += " (request " + te.RequestId + ")"
	}
	return msg
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
