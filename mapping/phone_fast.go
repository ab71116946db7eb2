package mapping

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// The fast path accepts, without libphonenumber's per-call overhead (~20µs),
// the common case: ASCII digits with spaces, dots, dashes or parentheses,
// valid under the rules of its country code's main region, where no national
// or international prefix has to be stripped. It applies the same metadata patterns as
// phonenumbers.IsValidNumber. It never rejects: every number it does not
// accept goes through phonenumbers.Parse, which decides.

// maxPhoneDigits is libphonenumber's longest possible number (17 + 3 CC).
const maxPhoneDigits = 20

// regionMetadata indexes the embedded metadata by region code.
var regionMetadata = sync.OnceValue(func() map[string]*phonenumbers.PhoneMetadata {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil
	}
	m := make(map[string]*phonenumbers.PhoneMetadata, len(coll.GetMetadata()))
	for _, md := range coll.GetMetadata() {
		m[md.GetId()] = md
	}
	return m
})

// fastRules caches compiled rules by country code (*regionRules, nil when the
// country code is not eligible for the fast path).
var fastRules sync.Map

// regionRules are one region's compiled validation patterns.
type regionRules struct {
	ccText     string
	nationalPx *regexp.Regexp // national prefix for parsing, anchored; may be nil
	transform  string         // national prefix transform rule; may be ""
	intlPx     *regexp.Regexp // international dialling prefix, anchored; may be nil
	general    descRule
	localOnly  []int32    // lengths libphonenumber treats as local-only numbers
	types      []descRule // any match means "valid"
}

// descRule is one PhoneNumberDesc: allowed lengths and a full-match pattern.
type descRule struct {
	lengths []int32
	re      *regexp.Regexp
}

// match mirrors libphonenumber's isNumberMatchingDesc.
func (d descRule) match(nsn string) bool {
	if d.re == nil || len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.re.MatchString(nsn)
}

// fastPhone returns the country code and national significant number of s
// when the fast path can prove s valid.
func fastPhone(s, region string) (int, string, bool) {
	var buf [maxPhoneDigits]byte
	digits, plus, ok := phoneDigits(s, buf[:0])
	if !ok {
		return 0, "", false
	}
	if plus {
		return fastInternational(digits)
	}
	return fastNational(digits, region)
}

// phoneDigits collects the digits of s, allowing a leading '+' and the
// separators " .-()"; any other character disqualifies s.
func phoneDigits(s string, buf []byte) ([]byte, bool, bool) {
	s = strings.TrimSpace(s)
	plus := strings.HasPrefix(s, "+")
	if plus {
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if len(buf) == cap(buf) {
				return nil, false, false
			}
			buf = append(buf, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return nil, false, false
		}
	}
	return buf, plus, len(buf) >= 4
}

// fastInternational handles "+<cc><national>".
func fastInternational(digits []byte) (int, string, bool) {
	if digits[0] == '0' {
		return 0, "", false
	}
	for n := 1; n <= 3 && n < len(digits); n++ {
		cc, _ := strconv.Atoi(string(digits[:n]))
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) == 0 {
			continue
		}
		return fastCheck(cc, string(digits[n:]))
	}
	return 0, "", false
}

// fastNational handles a number written without country code, or with the
// default region's international dialling prefix ("0086 ..."). The region
// must be the main one of its country code, whose rules fastCheck applies.
func fastNational(digits []byte, region string) (int, string, bool) {
	cc := phonenumbers.GetCountryCodeForRegion(region)
	r := rulesFor(cc)
	if region == "" || r == nil || phonenumbers.GetRegionCodeForCountryCode(cc) != region {
		return 0, "", false
	}
	if rest, idd, ok := r.stripIDD(digits); idd {
		if !ok {
			return 0, "", false
		}
		return fastInternational(rest)
	}
	if strings.HasPrefix(string(digits), r.ccText) {
		return 0, "", false // libphonenumber may read a leading country code
	}
	return fastCheck(cc, string(digits))
}

// fastCheck validates national (digits after the country code) against the
// rules of cc, stripping a national prefix as libphonenumber would.
func fastCheck(cc int, national string) (int, string, bool) {
	r := rulesFor(cc)
	if r == nil {
		return 0, "", false
	}
	nsn, ok := r.stripNationalPrefix(national)
	if !ok || nsn == "" || nsn[0] == '0' || !r.general.match(nsn) {
		return 0, "", false
	}
	for _, d := range r.types {
		if d.match(nsn) {
			return cc, nsn, true
		}
	}
	return 0, "", false
}

// rulesFor returns the cached rules for cc, compiling them on first use.
func rulesFor(cc int) *regionRules {
	if v, ok := fastRules.Load(cc); ok {
		return v.(*regionRules)
	}
	r := compileRules(cc)
	v, _ := fastRules.LoadOrStore(cc, r)
	return v.(*regionRules)
}
