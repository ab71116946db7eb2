package mapping

import (
	"regexp"
	"strings"
)

// Hash algorithms, spelt as CIAM's ImportUser.PasswordEncryptTypeEnum.
const (
	HashMD5    = "MD5"
	HashSHA1   = "SHA1"
	HashBCRYPT = "BCRYPT"
)

// Salt positions, spelt as CIAM's SaltLocation.SaltLocationTypeEnum.
const (
	SaltHead  = "HEAD"
	SaltTail  = "TAIL"
	SaltOther = "OTHER"
)

// hashAlgorithms lists the mapping spelling of what CIAM accepts.
var hashAlgorithms = []string{"md5", "sha1", "bcrypt"}

// PasswordHash is a legacy password hash in the shape of CIAM's ImportUser
// fields Password, PasswordEncryptTypeEnum and Salt. Hash and Salt are
// secrets: never printed, never in errors.
type PasswordHash struct {
	// Algorithm is HashMD5, HashSHA1 or HashBCRYPT; "" when there is no hash.
	Algorithm string
	Hash      Secret
	// Salt is zero when the hash is unsalted (always for BCRYPT, whose hash
	// carries its salt).
	Salt Secret
	// SaltPosition is SaltHead, SaltTail or SaltOther when Salt is set.
	SaltPosition string
	// SaltRegex is SaltLocationRule.Regex, set with SaltOther, exactly as
	// the mapping wrote it (never trimmed or rewritten). Unverified: the
	// reference does not define the OTHER rule's syntax (silent-points.md
	// "SaltLocation"); only the emulator's reading, {salt} and {password}
	// standing for the two, was tested.
	SaltRegex string
}

// hashRule is the compiled PasswordHash rule.
type hashRule struct {
	hash      *rule
	algorithm string // fixed CIAM spelling, or "" with algoRule
	algoRule  *rule  // algorithm_from
	salt      *rule  // nil: unsalted
	position  string
	regex     string
}

// algorithmName returns the CIAM spelling of a mapping or row value.
func algorithmName(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "md5":
		return HashMD5, true
	case "sha1":
		return HashSHA1, true
	case "bcrypt":
		return HashBCRYPT, true
	}
	return "", false
}

// bcryptHash is the modular crypt form: $2a$, $2b$ or $2y$, a two-digit cost,
// $, then 22 characters of salt and 31 of hash in bcrypt's base64.
var bcryptHash = regexp.MustCompile(`^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$`)

// hashShape explains why h is not a hash of algo, or returns "".
func hashShape(algo, h string) string {
	switch algo {
	case HashMD5:
		if !isHex(h, 32) {
			return "is not an MD5 hash (32 hexadecimal digits)"
		}
	case HashSHA1:
		if !isHex(h, 40) {
			return "is not a SHA1 hash (40 hexadecimal digits)"
		}
	case HashBCRYPT:
		if !bcryptHash.MatchString(h) {
			return "is not a bcrypt hash ($2a$, $2b$ or $2y$, a cost from 04 to 31, $, 53 characters)"
		}
	}
	return ""
}

// isHex reports whether s is n hexadecimal digits (either case).
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// hexCase returns an MD5 or SHA1 hex digest in lower case, and any other
// hash (bcrypt's base64 is case-sensitive) as it is.
//
// Safe reading (issue 20, silent-points.md "PasswordEncryptTypeEnum"): the
// reference does not say in which case CIAM compares a hex digest. A
// digest is the same number in either case, but a service that compares
// the strings would refuse every upper-case one at sign-in, silently and
// long after the import. Lower case is what every common hashing library
// (PHP md5(), Python hexdigest(), MySQL MD5()) writes, so it is sent.
func hexCase(algo, v string) string {
	if algo == HashMD5 || algo == HashSHA1 {
		return strings.ToLower(v)
	}
	return v
}

// apply maps the hash of one row; the zero PasswordHash means the row has
// none (an empty hash value), and the row then falls back to Password.
func (h *hashRule) apply(row Row) (PasswordHash, *FieldError) {
	v, fe := h.hash.text(row)
	if fe != nil || v == "" {
		return PasswordHash{}, fe
	}
	algo, fe := h.algorithmOf(row)
	if fe != nil {
		return PasswordHash{}, fe
	}
	if reason := hashShape(algo, v); reason != "" {
		return PasswordHash{}, h.hash.fail(ErrInvalid, reason)
	}
	out := PasswordHash{Algorithm: algo, Hash: NewSecret(hexCase(algo, v))}
	if h.salt == nil {
		return out, nil
	}
	salt, fe := h.salt.text(row)
	switch {
	case fe != nil:
		return PasswordHash{}, fe
	case salt != "" && algo == HashBCRYPT:
		return PasswordHash{}, h.salt.fail(ErrInvalid, "must be empty for a bcrypt hash, which carries its own salt")
	case salt != "":
		out.Salt, out.SaltPosition, out.SaltRegex = NewSecret(salt), h.position, h.regex
	}
	return out, nil
}

// algorithmOf returns the row's algorithm in CIAM's spelling.
func (h *hashRule) algorithmOf(row Row) (string, *FieldError) {
	if h.algoRule == nil {
		return h.algorithm, nil
	}
	s, fe := h.algoRule.text(row)
	if fe != nil {
		return "", fe
	}
	if s == "" {
		return "", h.algoRule.fail(ErrEmpty, "is empty but the row has a password hash")
	}
	algo, ok := algorithmName(s)
	if !ok {
		return "", h.algoRule.fail(ErrInvalid, "is not an algorithm CIAM accepts (md5, sha1 or bcrypt)")
	}
	return algo, nil
}
