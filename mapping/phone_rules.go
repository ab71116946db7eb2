package mapping

import (
	"regexp"
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// compileRules builds the fast-path rules for cc from its main region, or
// returns nil when cc is non-geographic, or when it is shared by several
// regions and the main one has leading digits. (libphonenumber tries the
// regions of a shared country code in order, main region first; one without
// leading digits claims every number valid under its own patterns.)
func compileRules(cc int) *regionRules {
	regions := phonenumbers.GetRegionCodesForCountryCode(cc)
	if len(regions) == 0 {
		return nil
	}
	md := regionMetadata()[regions[0]]
	if md == nil || int(md.GetCountryCode()) != cc || len(regions) > 1 && md.GetLeadingDigits() != "" {
		return nil
	}
	r := &regionRules{
		ccText:     strconv.Itoa(cc),
		nationalPx: anchored(md.GetNationalPrefixForParsing(), false),
		transform:  md.GetNationalPrefixTransformRule(),
		localOnly:  md.GetGeneralDesc().GetPossibleLengthLocalOnly(),
		intlPx:     anchored(md.GetInternationalPrefix(), false),
		general:    desc(md.GetGeneralDesc()),
	}
	for _, d := range typeDescs(md) {
		r.types = append(r.types, desc(d))
	}
	return r
}

// typeDescs lists the number-type descriptions that make a number valid,
// mobile first because it is the most common in user data.
func typeDescs(md *phonenumbers.PhoneMetadata) []*phonenumbers.PhoneNumberDesc {
	descs := []*phonenumbers.PhoneNumberDesc{
		md.GetFixedLine(), md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(),
		md.GetVoip(), md.GetPersonalNumber(), md.GetPager(), md.GetUan(), md.GetVoicemail(),
	}
	if !md.GetSameMobileAndFixedLinePattern() {
		descs = append([]*phonenumbers.PhoneNumberDesc{md.GetMobile()}, descs...)
	}
	return descs
}

// desc compiles one number description.
func desc(d *phonenumbers.PhoneNumberDesc) descRule {
	return descRule{lengths: d.GetPossibleLength(), re: anchored(d.GetNationalNumberPattern(), true)}
}

// anchored compiles pattern anchored at the start (and end when full), or
// returns nil for an empty or unparsable pattern.
func anchored(pattern string, full bool) *regexp.Regexp {
	if pattern == "" {
		return nil
	}
	expr := "^(?:" + pattern + ")"
	if full {
		expr += "$"
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil
	}
	return re
}
