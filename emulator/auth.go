package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	tc3Algorithm    = "TC3-HMAC-SHA256"
	tc3Terminator   = "tc3_request"
	signatureWindow = 5 * time.Minute
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

// credential is the parsed Authorization header:
// TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
// SignedHeaders=<h1;h2>, Signature=<hex>.
type credential struct {
	secretID, date, service string
	signedHeaders           []string
	signature               string
}

// parseAuthorization parses an Authorization header value. Every error is
// AuthFailure.InvalidAuthorization.
func parseAuthorization(v string) (credential, *apiError) {
	var c credential
	if strings.TrimSpace(v) == "" {
		return c, errAuthorization("`Authorization` is missing")
	}
	alg, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || alg != tc3Algorithm {
		return c, errAuthorization("`Algorithm` not valid")
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, val, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return c, errAuthorization("malformed field `" + part + "`")
		}
		fields[k] = val
	}
	return parseCredentialFields(fields)
}

func parseCredentialFields(fields map[string]string) (credential, *apiError) {
	var c credential
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 4 || scope[0] == "" || scope[3] != tc3Terminator {
		return c, errAuthorization("`Credential` not valid")
	}
	c.secretID, c.date, c.service = scope[0], scope[1], scope[2]
	if _, err := time.Parse(time.DateOnly, c.date); err != nil {
		return c, errAuthorization("`Date` in Credential not valid")
	}
	c.signedHeaders = strings.Split(strings.ToLower(fields["SignedHeaders"]), ";")
	if !slices.Contains(c.signedHeaders, "content-type") || !slices.Contains(c.signedHeaders, "host") {
		return c, errAuthorization("`SignedHeaders` must contain content-type and host")
	}
	c.signature = fields["Signature"]
	if len(c.signature) != sha256.Size*2 || !isLowerHex(c.signature) {
		return c, errAuthorization("`Signature` not valid")
	}
	return c, nil
}

// authenticate verifies the TC3-HMAC-SHA256 signature of r exactly as the
// service does: over the received Host header (port included, or without
// it: see hostName) and the raw
// body bytes, with a five-minute timestamp window (reference §3.3, §4).
func (s *Server) authenticate(r *http.Request, body []byte, now time.Time) *apiError {
	c, aerr := parseAuthorization(r.Header.Get("Authorization"))
	if aerr != nil {
		return aerr
	}
	if c.service != service {
		return errAuthorization("`Service` in Credential not valid")
	}
	ts, aerr := requestTimestamp(r)
	if aerr != nil {
		return aerr
	}
	if d := now.Sub(time.Unix(ts, 0)); d > signatureWindow || d < -signatureWindow {
		return newError(CodeSignatureExpire)
	}
	key, aerr := s.signingKey(c.secretID, r.Header.Get("X-TC-Token"), now)
	if aerr != nil {
		return aerr
	}
	if !hmac.Equal([]byte(signatureFor(key, c, r, body, ts, r.Host)), []byte(c.signature)) &&
		!hmac.Equal([]byte(signatureFor(key, c, r, body, ts, hostName(r.Host))), []byte(c.signature)) {
		return newError(CodeSignatureFailure)
	}
	return nil
}

// hostName is host without its port. The real endpoint is reached on the
// default port, where the Host header has none; the official Node.js SDK
// signs the URL's host name alone, so on the emulator's port its Host header
// and its signed host differ. The emulator accepts either.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

func requestTimestamp(r *http.Request) (int64, *apiError) {
	v := r.Header.Get("X-TC-Timestamp")
	if v == "" {
		return 0, errMissing("Timestamp")
	}
	ts, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errParamType("Timestamp")
	}
	return ts, nil
}

// signatureFor recomputes the signature the client should have sent. The
// date always comes from the timestamp, so a scope date that disagrees with
// X-TC-Timestamp fails as a wrong signature.
func signatureFor(secretKey string, c credential, r *http.Request, body []byte, ts int64, host string) string {
	payloadHash := sha256Hex(body)
	if r.Header.Get("X-TC-Content-SHA256") == unsignedPayload {
		payloadHash = sha256Hex([]byte(unsignedPayload))
	}
	canonical := canonicalRequest(r.Method, c.signedHeaders, headerGetter(r, host), payloadHash)
	date := time.Unix(ts, 0).UTC().Format(time.DateOnly)
	return tc3Signature(secretKey, date, c.service, strconv.FormatInt(ts, 10), canonical)
}

// headerGetter reads r's headers, host standing for the Host header.
func headerGetter(r *http.Request, host string) func(string) string {
	return func(name string) string {
		if name == "host" {
			return host
		}
		return r.Header.Get(name)
	}
}

// canonicalRequest builds the TC3 canonical request. The canonical URI is
// always "/" and the query string is empty for POST; header names and
// values are lowercased and trimmed, in SignedHeaders order.
func canonicalRequest(method string, signed []string, header func(string) string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(method + "\n/\n\n")
	for _, h := range signed {
		b.WriteString(h + ":" + strings.ToLower(strings.TrimSpace(header(h))) + "\n")
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n" + payloadHash)
	return b.String()
}

// tc3Signature derives the signing key from secretKey, date and service and
// signs the string to sign built from timestamp and the canonical request.
func tc3Signature(secretKey, date, service, timestamp, canonical string) string {
	scope := date + "/" + service + "/" + tc3Terminator
	stringToSign := tc3Algorithm + "\n" + timestamp + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, tc3Terminator)
	return hex.EncodeToString(hmacSHA256(k, stringToSign))
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func isLowerHex(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// signingKey returns the secret key of secretID after checking the session
// token: none for the permanent SecretID, exactly the configured one for a
// temporary credential, which must not have expired. Unknown id:
// AuthFailure.SecretIdNotFound; token missing, wrong, unexpected or expired:
// AuthFailure.TokenFailure (the only token code documented, §4).
func (s *Server) signingKey(secretID, token string, now time.Time) (string, *apiError) {
	if secretID == s.cfg.SecretID {
		if token != "" {
			return "", errToken("a token was sent with a permanent key", "永久密钥不应携带token")
		}
		return s.cfg.SecretKey, nil
	}
	for _, tc := range s.cfg.TempCredentials {
		if tc.SecretID != secretID {
			continue
		}
		switch {
		case token == "" || !hmac.Equal([]byte(token), []byte(tc.Token)):
			return "", errToken("the token does not match the temporary key", "token与临时密钥不匹配")
		case !tc.Expires.IsZero() && !now.Before(tc.Expires):
			return "", errToken("the temporary credential has expired", "临时密钥已过期")
		}
		return tc.SecretKey, nil
	}
	return "", newError(CodeSecretIDNotFound)
}

func errToken(en, zh string) *apiError {
	e := newError(CodeTokenFailure)
	e.en += " " + en + "."
	e.zh += zh + "。"
	return e
}
