package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/nyaruka/phonenumbers"
)

// phone is one generated number: how the legacy system wrote it and its
// canonical E.164 form (for uniqueness).
type phone struct {
	text, e164 string
}

// cnPrefixes are Chinese mobile prefixes.
var cnPrefixes = []string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "186", "187", "188", "189"}

// newPhone draws a valid, unused number in a random legacy format.
func newPhone(rng *rand.Rand, used map[string]bool) phone {
	for {
		p := drawPhone(rng)
		num, err := phonenumbers.Parse(p.text, "CN")
		if err != nil || !phonenumbers.IsValidNumber(num) {
			continue
		}
		p.e164 = phonenumbers.Format(num, phonenumbers.E164)
		if !used[p.e164] {
			used[p.e164] = true
			return p
		}
	}
}

// drawPhone picks a country and a format.
func drawPhone(rng *rand.Rand) phone {
	switch n := rng.IntN(20); {
	case n < 2:
		area := []string{"201", "212", "415", "646", "718"}[rng.IntN(5)]
		return phone{text: fmt.Sprintf("+1 (%s) %03d-%04d", area, 200+rng.IntN(700), rng.IntN(10000))}
	case n < 4:
		return phone{text: fmt.Sprintf("+44 (0)7%d%02d %06d", 4+rng.IntN(6), rng.IntN(100), rng.IntN(1000000))}
	}
	return phone{text: cnFormat(rng, cnPrefixes[rng.IntN(len(cnPrefixes))], rng.IntN(10000), rng.IntN(10000))}
}

// cnFormat writes a Chinese mobile number in one of several legacy styles.
func cnFormat(rng *rand.Rand, pre string, a, b int) string {
	formats := []string{"+86 %s %04d %04d", "%s-%04d-%04d", "(0)%s %04d %04d", "%s%04d%04d", "+86-%s%04d%04d", "0086 %s %04d %04d"}
	return fmt.Sprintf(formats[rng.IntN(len(formats))], pre, a, b)
}

// reformat writes the same number differently (for duplicate rows).
func reformat(p phone) string {
	num, _ := phonenumbers.Parse(p.e164, "CN")
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
