package emulator

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Password encodings of ImportUser.PasswordEncryptTypeEnum. The reference
// names SHA1 and BCRYPT in the field comment and "明文导入，MD5密文导入，
// SHA1密文导入，BCRYPT密文导入" in the object doc; absent (or empty) means
// plaintext. Any other value, lowercase ones included, is the emulator's
// InvalidParameterValue.
const (
	algPlain  = "" // plaintext, as CreateUser and SetPassword take it
	algMD5    = "MD5"
	algSHA1   = "SHA1"
	algBcrypt = "BCRYPT"
)

// Salt positions of SaltLocation.SaltLocationTypeEnum (HEAD, TAIL, OTHER).
const (
	saltHead  = "HEAD"
	saltTail  = "TAIL"
	saltOther = "OTHER"
)

// Tokens of a SaltLocationRule.Regex under SaltLocationTypeEnum OTHER. The
// reference documents Regex only as "表达式" (example "passwordabc123"); the
// emulator's reading is a template: the hashed string is Regex with
// {password} replaced by the password and every {salt} by the salt, e.g.
// "{salt}{password}{salt}". {password} must appear exactly once.
const (
	tokenPassword = "{password}"
	tokenSalt     = "{salt}"
)

// storedPassword is a password: what the service would keep. hash is
// the SHA-256 of a plaintext password, or the imported hash (hex lowercased
// for MD5 and SHA1 unless StoreSettings.ExactHexCase, verbatim for BCRYPT). Never logged nor answered.
type storedPassword struct {
	alg      string
	hash     string
	salt     string
	location string // HEAD, TAIL, OTHER; "" without salt
	rule     string // the template for OTHER
}

// plainCredential keeps a plaintext password as its SHA-256.
func plainCredential(password string) *storedPassword {
	sum := sha256.Sum256([]byte(password))
	return &storedPassword{alg: algPlain, hash: hex.EncodeToString(sum[:])}
}

// verify reports whether password matches c.
func (c *storedPassword) verify(password string) bool {
	if c == nil {
		return false
	}
	salted := c.salted(password)
	switch c.alg {
	case algPlain:
		sum := sha256.Sum256([]byte(password))
		return equalHex(hex.EncodeToString(sum[:]), c.hash)
	case algMD5:
		sum := md5.Sum([]byte(salted))
		return equalHex(hex.EncodeToString(sum[:]), c.hash)
	case algSHA1:
		sum := sha1.Sum([]byte(salted))
		return equalHex(hex.EncodeToString(sum[:]), c.hash)
	case algBcrypt:
		return bcrypt.CompareHashAndPassword([]byte(c.hash), []byte(salted)) == nil
	}
	return false
}

// salted is the string that was hashed: salt+password (HEAD),
// password+salt (TAIL), or the OTHER template filled in.
func (c *storedPassword) salted(password string) string {
	switch c.location {
	case saltHead:
		return c.salt + password
	case saltTail:
		return password + c.salt
	case saltOther:
		s := strings.ReplaceAll(c.rule, tokenSalt, c.salt)
		return strings.Replace(s, tokenPassword, password, 1)
	}
	return password
}

func equalHex(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// importedCredential checks an ImportUser's password fields and returns its
// storedPassword (nil when no password was given), or the reason it fails.
// The settings choose the plaintext enum value, whether an enum is
// required, the password policy of plaintext and the hex case rule.
func (st StoreSettings) importedCredential(u *importUser) (*storedPassword, *apiError) {
	if u.Password == "" {
		if u.PasswordEncryptTypeEnum != "" || u.Salt != nil {
			return nil, errParamValue("Password (PasswordEncryptTypeEnum or Salt without a Password)")
		}
		return nil, nil
	}
	alg, aerr := st.algorithm(u.PasswordEncryptTypeEnum)
	if aerr != nil {
		return nil, aerr
	}
	if alg == algPlain {
		if aerr := st.PasswordPolicy.check(u.Password); aerr != nil {
			return nil, aerr
		}
	}
	c := &storedPassword{alg: alg}
	if aerr := c.setHash(u.Password, st.ExactHexCase); aerr != nil {
		return nil, aerr
	}
	if u.Salt == nil {
		return c, nil
	}
	if c.alg == algPlain {
		return nil, errParamValue("Salt (a plaintext password takes no salt)")
	}
	return c, c.setSalt(u.Salt)
}

// algorithm maps PasswordEncryptTypeEnum to the stored algorithm: the
// configured PlaintextEnum is plaintext, and so is an absent enum unless
// RequireEncryptType.
func (st StoreSettings) algorithm(enum string) (string, *apiError) {
	switch {
	case st.PlaintextEnum != "" && enum == st.PlaintextEnum:
		return algPlain, nil
	case enum == "" && st.RequireEncryptType:
		return "", errParamValue("PasswordEncryptTypeEnum (required with a Password)")
	}
	return enum, nil
}

// setHash checks the encoded password against its algorithm. MD5 and SHA1
// hex digests are lower-cased unless exactCase.
func (c *storedPassword) setHash(pw string, exactCase bool) *apiError {
	switch c.alg {
	case algPlain:
		*c = *plainCredential(pw)
	case algMD5, algSHA1:
		want := md5.Size * 2
		if c.alg == algSHA1 {
			want = sha1.Size * 2
		}
		if _, err := hex.DecodeString(pw); err != nil || len(pw) != want {
			return errParamValue("Password (not a " + c.alg + " hex digest)")
		}
		c.hash = pw
		if !exactCase {
			c.hash = strings.ToLower(pw)
		}
	case algBcrypt:
		if _, err := bcrypt.Cost([]byte(pw)); err != nil {
			return errParamValue("Password (not a BCRYPT hash)")
		}
		c.hash = pw
	default:
		return errParamValue("PasswordEncryptTypeEnum")
	}
	return nil
}

func (c *storedPassword) setSalt(s *salt) *apiError {
	if s.SaltValue == "" {
		return errParamValue("Salt.SaltValue")
	}
	if s.SaltLocation == nil {
		return errParamValue("Salt.SaltLocation (required with a SaltValue)")
	}
	c.salt, c.location = s.SaltValue, s.SaltLocation.SaltLocationTypeEnum
	switch c.location {
	case saltHead, saltTail:
		return nil
	case saltOther:
		rule := s.SaltLocation.SaltLocationRule
		if rule == nil || strings.Count(rule.Regex, tokenPassword) != 1 {
			return errParamValue("Salt.SaltLocation.SaltLocationRule.Regex (needs {password} exactly once)")
		}
		c.rule = rule.Regex
		return nil
	}
	return errParamValue("Salt.SaltLocation.SaltLocationTypeEnum")
}
