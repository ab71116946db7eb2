package mapping

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneFormat is how a normalised phone number is written.
type phoneFormat uint8

const (
	formatCIAM phoneFormat = iota // "+86-13800138000", as in CIAM's examples
	formatE164                    // "+8613800138000"
)

// phoneFormats maps the YAML spelling to a format.
var phoneFormats = map[string]phoneFormat{"ciam": formatCIAM, "e164": formatE164}

// unknownRegion is libphonenumber's region code for "none".
const unknownRegion = "ZZ"

// phoneRule parses and normalises phone numbers with libphonenumber.
type phoneRule struct {
	region string // default region for numbers without +country code; "" = none
	format phoneFormat
}

// normalize returns s in the rule's format, or a reason.
func (p *phoneRule) normalize(s string) (string, string) {
	if cc, nsn, ok := fastPhone(s, p.region); ok {
		return p.render(cc, nsn), ""
	}
	region := p.region
	if region == "" {
		region = unknownRegion
	}
	num, err := phonenumbers.Parse(s, region)
	switch {
	case err != nil && p.region == "" && !strings.HasPrefix(strings.TrimSpace(s), "+"):
		return "", "has no +country code and phone.default_region is not set"
	case err != nil:
		return "", "not a valid phone number"
	case num.GetExtension() != "":
		return "", "must not have an extension"
	case !phonenumbers.IsValidNumber(num):
		return "", "not a valid phone number for its country"
	}
	return p.render(int(num.GetCountryCode()), phonenumbers.GetNationalSignificantNumber(num)), ""
}

// render writes a country code and national significant number.
func (p *phoneRule) render(cc int, nsn string) string {
	if p.format == formatE164 {
		return "+" + strconv.Itoa(cc) + nsn
	}
	return "+" + strconv.Itoa(cc) + "-" + nsn
}

// validRegion reports whether libphonenumber knows region (e.g. "CN").
func validRegion(region string) bool {
	return phonenumbers.GetSupportedRegions()[region]
}
