package mapping

import "slices"

// minNSNAfterIDD is libphonenumber's MIN_LENGTH_FOR_NSN: what must follow an
// international dialling prefix.
const minNSNAfterIDD = 2

// stripIDD mirrors libphonenumber's parsePrefixAsIdd. idd reports whether
// digits start with the international dialling prefix; ok whether the fast
// path can go on with rest.
func (r *regionRules) stripIDD(digits []byte) (rest []byte, idd, ok bool) {
	if r.intlPx == nil {
		return nil, false, false
	}
	m := r.intlPx.FindIndex(digits)
	if m == nil {
		return nil, false, false
	}
	rest = digits[m[1]:]
	// A prefix followed by 0 is not stripped by libphonenumber; leave it.
	return rest, true, len(rest) > minNSNAfterIDD && rest[0] != '0'
}

// stripNationalPrefix mirrors libphonenumber's
// maybeStripNationalPrefixAndCarrierCode followed by its length test. ok is
// false in the cases the fast path leaves to libphonenumber: a transform rule
// applies, stripping would leave a non-viable number, or the stripped length
// is not plainly possible.
func (r *regionRules) stripNationalPrefix(num string) (string, bool) {
	if r.nationalPx == nil {
		return num, true
	}
	m := r.nationalPx.FindStringSubmatchIndex(num)
	if m == nil {
		return num, true
	}
	groups := len(m)/2 - 1
	if r.transform != "" && m[2*groups] >= 0 {
		return "", false
	}
	stripped := num[m[1]:]
	if r.general.re == nil || r.general.re.MatchString(num) && !r.general.re.MatchString(stripped) {
		return "", false
	}
	n := int32(len(stripped))
	if !slices.Contains(r.general.lengths, n) || slices.Contains(r.localOnly, n) {
		return "", false
	}
	return stripped, true
}
