package ciam

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultEndpoint = "https://ciam.tencentcloudapi.com"
	DefaultRegion   = "ap-guangzhou"
	DefaultTimeout  = 30 * time.Second
	// DefaultMaxResponseBytes caps an answer body: far above any CIAM answer
	// (a User is ~2 KiB; a ListJobs answer with many FailedUsers is the
	// largest), far below what would hurt a long run.
	DefaultMaxResponseBytes = 8 << 20
)

// Config configures a Client. The zero value talks to the public endpoint
// with credentials from the environment or the credentials file.
type Config struct {
	// Endpoint is the service URL: scheme plus host[:port], optionally a path
	// prefix, e.g. "https://ciam.tencentcloudapi.com" (default) or
	// "http://127.0.0.1:8080" for the emulator.
	Endpoint string
	// Region is sent as X-TC-Region; default "ap-guangzhou".
	Region string
	// Timeout bounds each call, from the first dial to the last byte of the
	// answer; default 30s.
	Timeout time.Duration
	// MaxResponseBytes caps the body of every answer (after
	// decompression); a longer answer is not read further and fails with
	// ClientError.ResponseTooLarge. Default DefaultMaxResponseBytes.
	MaxResponseBytes int64

	// Credentials. Choose at most one source: SecretID+SecretKey (with
	// Token for temporary keys), Profile, or CVMRole. When none is chosen,
	// the SDK's providers are asked in this order:
	//  1. the environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY,
	//     with TENCENTCLOUD_SESSION_TOKEN as the token when set;
	//  2. the credentials file: $TENCENTCLOUD_CREDENTIALS_FILE, else
	//     ~/.tencentcloud/credentials, section [default], keys secret_id /
	//     secret_key (no token).
	// The CVM role is used only when CVMRole is set. With RoleArn, the key
	// so found is exchanged for the role's temporary credentials (STS
	// AssumeRole), which renew themselves during the run. A token is sent as
	// X-TC-Token. No error names a secret.

	// SecretID and SecretKey are an API key; Token its session token when
	// the key is temporary.
	SecretID, SecretKey, Token string
	// Profile names a TCCLI profile: ~/.tccli/<Profile>.credential, JSON
	// with secretId, secretKey and optional token (the SDK's
	// TccliProfileProvider; the SDK's credentials-file provider knows only
	// [default]).
	Profile string
	// CVMRole takes the temporary credentials of the CVM instance's role
	// from the metadata service (the SDK's CvmRoleProvider); CVMRoleName
	// names the role (setting it implies CVMRole), empty discovers it. The
	// SDK renews them 5 minutes before they expire.
	CVMRole     bool
	CVMRoleName string
	// RoleArn, when set, assumes this role (qcs::cam::uin/...:roleName/...)
	// with the credentials chosen above. RoleSessionName defaults to
	// "ciam-import-<unix time>", RoleDuration to DefaultRoleDuration (at
	// most MaxRoleDuration). STSEndpoint is the STS host[:port] (HTTPS
	// only, an SDK restriction); default sts.tencentcloudapi.com.
	RoleArn         string
	RoleSessionName string
	RoleDuration    time.Duration
	STSEndpoint     string

	// Warn, when set, receives warnings about the credentials (a
	// credentials file group or others may read); they name no secret.
	Warn func(string)

	// Transport, when set, carries the HTTP exchanges (tests); it is wrapped
	// by this package's transport. Default: a clone of http.DefaultTransport.
	Transport http.RoundTripper
}

// endpoint is Config.Endpoint split the way the SDK's HttpProfile wants it.
type endpoint struct {
	scheme string // "HTTP" or "HTTPS"
	host   string // host[:port][/path], never with a scheme
}

// parseEndpoint validates an endpoint URL. Its errors never repeat the URL,
// which could carry a password.
func parseEndpoint(raw string) (endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return endpoint{}, fmt.Errorf("parse endpoint: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return endpoint{}, errors.New(`parse endpoint: scheme must be "http" or "https"`)
	case u.Host == "":
		return endpoint{}, errors.New("parse endpoint: no host")
	case u.User != nil:
		return endpoint{}, errors.New("parse endpoint: credentials in the URL are not allowed")
	case u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return endpoint{}, errors.New("parse endpoint: query and fragment are not allowed")
	}
	host := u.Host
	if p := u.EscapedPath(); p != "" && p != "/" {
		host += p
	}
	return endpoint{scheme: strings.ToUpper(u.Scheme), host: host}, nil
}

// withDefaults fills zero fields and validates the rest.
func (c Config) withDefaults() (Config, error) {
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Timeout < 0 {
		return c, fmt.Errorf("invalid timeout %s", c.Timeout)
	}
	if c.MaxResponseBytes == 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if c.MaxResponseBytes < 0 {
		return c, fmt.Errorf("invalid response size cap %d", c.MaxResponseBytes)
	}
	if c.Transport == nil {
		c.Transport = newBaseTransport()
	}
	return c, nil
}

// String is the endpoint as a URL, scheme://host[/path] (it never holds
// credentials: parseEndpoint refuses them).
func (e endpoint) String() string { return strings.ToLower(e.scheme) + "://" + e.host }
