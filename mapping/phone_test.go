package mapping

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestPhoneNormalize(t *testing.T) {
	tests := []struct {
		in, region string
		format     phoneFormat
		want       string // "" means the number is rejected
	}{
		{"+86 138 0013 8000", "CN", formatCIAM, "+86-13800138000"},
		{"138-0013-8000", "CN", formatCIAM, "+86-13800138000"},
		{"(0)138 0013 8000", "CN", formatCIAM, "+86-13800138000"},
		{"+86 (0)138 0013 8000", "CN", formatCIAM, "+86-13800138000"},
		{"008613800138000", "CN", formatCIAM, "+86-13800138000"},
		{"8613800138000", "CN", formatCIAM, "+86-13800138000"},
		{"+86-13800138000", "", formatCIAM, "+86-13800138000"},
		{"13800138000", "CN", formatE164, "+8613800138000"},
		{"+1 201-555-0123", "CN", formatCIAM, "+1-2015550123"},
		{"(201) 555-0123", "US", formatE164, "+12015550123"},
		{"+44 7400 123456", "CN", formatCIAM, "+44-7400123456"},
		{"+44 (0)7400 123456", "", formatCIAM, "+44-7400123456"},
		{"07400 123456", "GB", formatCIAM, "+44-7400123456"},
		{"+49 1512 3456789", "CN", formatCIAM, "+49-15123456789"},
		{"+39 06 6988 4000", "", formatE164, "+390669884000"},
		{"１３８００１３８０００", "CN", formatCIAM, "+86-13800138000"}, // full-width digits
		{"1380013800", "CN", formatCIAM, ""},                 // one digit short
		{"+86 000", "CN", formatCIAM, ""},
		{"13800138000", "", formatCIAM, ""},
		{"abc", "CN", formatCIAM, ""},
		{"+999 1234567", "", formatCIAM, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+tt.region, func(t *testing.T) {
			p := &phoneRule{region: tt.region, format: tt.format}
			got, reason := p.normalize(tt.in)
			if got != tt.want || (tt.want == "") != (reason != "") {
				t.Fatalf("normalize(%q) = %q, %q; want %q", tt.in, got, reason, tt.want)
			}
		})
	}
}

// TestFastPhoneAgreesWithLibphonenumber checks that every number the fast
// path accepts is accepted by phonenumbers with the same result.
func TestFastPhoneAgreesWithLibphonenumber(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	regions := []string{"CN", "DE", "FR", "JP", "IN", "BR", "AU", "HK", "SG", "US", "GB", "RU", "IT", "CA", "GG", "KZ", "NO", "SJ", "VA"}
	accepted := 0
	for i := 0; i < 2500; i++ {
		region := regions[rng.IntN(len(regions))]
		in := randomPhone(rng, region)
		cc, nsn, ok := fastPhone(in, region)
		if !ok {
			continue
		}
		accepted++
		num, err := phonenumbers.Parse(in, region)
		if err != nil || !phonenumbers.IsValidNumber(num) {
			t.Fatalf("fast path accepts %q (%s) but libphonenumber rejects it: %v", in, region, err)
		}
		if int(num.GetCountryCode()) != cc || phonenumbers.GetNationalSignificantNumber(num) != nsn {
			t.Fatalf("%q (%s): fast +%d %s, libphonenumber +%d %s", in, region, cc, nsn,
				num.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(num))
		}
	}
	if accepted < 700 {
		t.Fatalf("fast path accepted only %d numbers; it is not being exercised", accepted)
	}
}

// randomPhone formats a random number near region's example numbers.
func randomPhone(rng *rand.Rand, region string) string {
	ex := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
	if rng.IntN(3) == 0 {
		ex = phonenumbers.GetExampleNumber(region)
	}
	nsn := []byte(phonenumbers.GetNationalSignificantNumber(ex))
	for j := rng.IntN(4); j > 0; j-- { // mutate a few trailing digits, sometimes the length
		nsn[len(nsn)-1-rng.IntN(min(5, len(nsn)))] = byte('0' + rng.IntN(10))
	}
	if rng.IntN(10) == 0 {
		nsn = nsn[:len(nsn)-1]
	}
	cc := ex.GetCountryCode()
	switch rng.IntN(8) {
	case 0:
		return fmt.Sprintf("+%d %s", cc, nsn)
	case 1:
		return fmt.Sprintf("+%d-%s", cc, nsn)
	case 2:
		return fmt.Sprintf("%s-%s", nsn[:3], nsn[3:])
	case 3:
		return fmt.Sprintf("(0)%s", nsn)
	case 4:
		return fmt.Sprintf("%s %s", phonenumbers.GetNddPrefixForRegion(region, true), nsn)
	case 5:
		return fmt.Sprintf("00%d %s", cc, nsn)
	case 6:
		return fmt.Sprintf("+%d (0)%s", cc, nsn)
	}
	return fmt.Sprintf("(%s) %s", nsn[:2], nsn[2:])
}

func TestFastPhoneCoverage(t *testing.T) {
	tests := []struct {
		in, region string
		fast       bool
	}{
		{"+86 138 0013 8000", "CN", true},
		{"138-0013-8000", "CN", true},
		{"+1 (201) 555-0123", "CN", true},
		{"(201) 555-0123", "US", true},
		{"+44 7400 123456", "", true},
		{"(0)138 0013 8000", "CN", true},   // national prefix stripped
		{"0086 138 0013 8000", "CN", true}, // international prefix stripped
		{"+44 (0)7400 123456", "", true},
		{"07400 123456", "GB", true},
		{"8613800138000", "CN", false}, // leading country code: libphonenumber decides
		{"000 86 138 0013 8000", "CN", false},
		{"+39 06 6988 4000", "", false}, // Italian leading zero
		{"+1 201-555-0123 ext. 12", "", false},
		{"(204) 555-0123", "CA", false}, // not the main region of +1
		{"１３８００１３８０００", "CN", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if _, _, ok := fastPhone(tt.in, tt.region); ok != tt.fast {
				t.Fatalf("fastPhone(%q, %q) ok = %v, want %v", tt.in, tt.region, ok, tt.fast)
			}
		})
	}
}
