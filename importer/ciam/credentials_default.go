package ciam

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
)

// EnvCredentialsFile names the credentials file the SDK reads instead of
// ~/.tencentcloud/credentials.
const EnvCredentialsFile = common.EnvCredentialFile

// credentialsHelp says what to set when no credential is found.
const credentialsHelp = "set " + EnvSecretID + " and " + EnvSecretKey + " (both), or write a credentials file " +
	"([default] secret_id = ..., secret_key = ...; chmod 600), or choose a TCCLI profile (--profile) or the CVM role (--cvm-role)"

// defaultCredential is the key of the default order: the environment
// (EnvSecretID and EnvSecretKey, with EnvSessionToken), then the
// credentials file (EnvCredentialsFile, else ~/.tencentcloud/credentials).
// Only one of the two variables set is an error, never a silent fall back
// to the file's key (possibly another account's). A file readable by group
// or others is used with a warning through warn. Errors wrap
// ErrNoCredentials, name the file and where the search looked, never a
// secret.
func (c Config) defaultCredential() (common.CredentialIface, error) {
	id, key := os.Getenv(EnvSecretID), os.Getenv(EnvSecretKey)
	switch {
	case id != "" && key != "":
		if err := checkKeyShape("the environment", id, key); err != nil {
			return nil, err
		}
		if token := os.Getenv(EnvSessionToken); token != "" {
			return common.NewTokenCredential(id, key, token), nil
		}
		return common.NewCredential(id, key), nil
	case id != "":
		return nil, fmt.Errorf("%w: %s is set but %s is not: set both, or unset %s to use the credentials file",
			ErrNoCredentials, EnvSecretID, EnvSecretKey, EnvSecretID)
	case key != "":
		return nil, fmt.Errorf("%w: %s is set but %s is not: set both, or unset %s to use the credentials file",
			ErrNoCredentials, EnvSecretKey, EnvSecretID, EnvSecretKey)
	}
	return c.fileCredential()
}

// fileCredential reads the credentials file through the SDK's provider,
// after checking it exists and is private.
func (c Config) fileCredential() (common.CredentialIface, error) {
	path, fromEnv := os.LookupEnv(EnvCredentialsFile)
	if fromEnv && path == "" {
		return nil, fmt.Errorf("%w: %s is set but empty: name the credentials file, or unset it", ErrNoCredentials, EnvCredentialsFile)
	}
	if !fromEnv {
		home := os.Getenv("HOME")
		if home == "" {
			return nil, fmt.Errorf("%w: looked in the environment (%s, %s: not set); HOME is not set, so no credentials file: %s",
				ErrNoCredentials, EnvSecretID, EnvSecretKey, credentialsHelp)
		}
		path = filepath.Join(home, ".tencentcloud", "credentials")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && fromEnv:
		return nil, fmt.Errorf("%w: credentials file %s (from %s) does not exist: fix %s, or unset it",
			ErrNoCredentials, path, EnvCredentialsFile, EnvCredentialsFile)
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: looked in the environment (%s, %s: not set) and in %s (no such file): %s",
			ErrNoCredentials, EnvSecretID, EnvSecretKey, path, credentialsHelp)
	case err != nil:
		return nil, fmt.Errorf("%w: read credentials file %s: %v", ErrNoCredentials, path, unwrapPath(err))
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%w: credentials file %s is not a regular file", ErrNoCredentials, path)
	}
	c.warnLoose(path, fi.Mode())
	cred, err := common.DefaultProfileProvider().GetCredential() // resolves the same path
	if err != nil {
		return nil, fmt.Errorf("%w: read credentials file %s: %s (expected [default] with secret_id and secret_key)",
			ErrNoCredentials, path, credentialMessage(err))
	}
	return cred, checkKeyShape("credentials file "+path, cred.GetSecretId(), cred.GetSecretKey())
}

// warnLoose warns, through Config.Warn, of a credentials file group or
// others may read.
func (c Config) warnLoose(path string, mode fs.FileMode) {
	if mode.Perm()&0o077 == 0 || c.Warn == nil {
		return
	}
	c.Warn(fmt.Sprintf("credentials file %s can be read by group or others (mode %04o): run chmod 600 %s",
		path, mode.Perm(), path))
}

// unwrapPath is a *fs.PathError's cause (the path is named by the caller).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkKeyShape refuses an id or key with whitespace (a trailing newline
// from `echo` or a file) or quotes (copied with them), which the service
// would only answer with a bare SignatureFailure. Neither is ever shown.
func checkKeyShape(src, id, key string) error {
	for _, k := range []struct{ name, v string }{{"secret id", id}, {"secret key", key}} {
		if strings.ContainsAny(k.v, " \t\r\n\v\f\"'`") {
			return fmt.Errorf("%w: the %s from %s contains whitespace, a newline or quotes (not shown): "+
				"set it without them (e.g. printf '%%s' instead of echo; no quotes in a credentials file)",
				ErrNoCredentials, k.name, src)
		}
	}
	return nil
}
