package ciam

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultEndpoint = "https://ciam.tencentcloudapi.com"
	DefaultRegion   = "ap-guangzhou"
	DefaultTimeout  = 30 * time.Second
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
	// SecretID and SecretKey are the API key. When both are empty the SDK's
	// providers are asked, in order: the environment variables
	// TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY, then the credentials
	// file ($TENCENTCLOUD_CREDENTIALS_FILE, else ~/.tencentcloud/credentials,
	// section [default], keys secret_id / secret_key). The CVM role provider
	// is never used.
	SecretID, SecretKey string
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
	if c.Transport == nil {
		c.Transport = newBaseTransport()
	}
	return c, nil
}

// credential returns the configured key, or asks the SDK's environment and
// profile-file providers. Errors name no secret.
func (c Config) credential() (common.CredentialIface, error) {
	switch {
	case c.SecretID != "" && c.SecretKey != "":
		return common.NewCredential(c.SecretID, c.SecretKey), nil
	case c.SecretID != "" || c.SecretKey != "":
		return nil, fmt.Errorf("%w: SecretID and SecretKey must be set together", ErrNoCredentials)
	}
	chain := common.NewProviderChain([]common.Provider{common.DefaultEnvProvider(), common.DefaultProfileProvider()})
	cred, err := chain.GetCredential()
	if err != nil {
		msg := err.Error()
		var te *tcerr.TencentCloudSDKError
		if errors.As(err, &te) {
			msg = te.Message
		}
		return nil, fmt.Errorf("%w: %s", ErrNoCredentials, msg)
	}
	return cred, nil
}
