package emulator

import (
	"strings"
)

// present copies users for a lookup answer, masking phone numbers and
// emails unless original is set. The service masks ("脱敏") by default
// (Original false, reference §2.5); the exact format is not documented, so
// the emulator follows the shape of the official examples: 132****0000 and
// 132****@qq.com. The result is never nil, so it encodes as [].
func present(users []*User, original bool) []User {
	out := make([]User, 0, len(users))
	for _, u := range users {
		out = append(out, presentOne(u, original))
	}
	return out
}

func presentOne(u *User, original bool) User {
	c := *u
	if !original {
		c.PhoneNumber = mapPtr(c.PhoneNumber, maskPhone)
		c.Email = mapPtr(c.Email, maskEmail)
	}
	return c
}

func mapPtr(p *string, f func(string) string) *string {
	if p == nil {
		return nil
	}
	v := f(*p)
	return &v
}

// maskPhone keeps a "+86-" style country prefix and masks the middle of the
// national number: +86-19877755556 -> +86-198****5556.
func maskPhone(s string) string {
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		return s[:i+1] + maskMiddle(s[i+1:])
	}
	return maskMiddle(s)
}

func maskMiddle(s string) string {
	r := []rune(s)
	switch n := len(r); {
	case n >= 8:
		return string(r[:3]) + "****" + string(r[n-4:])
	case n >= 3:
		return string(r[:1]) + "****" + string(r[n-1:])
	}
	return "****"
}

// maskEmail keeps three characters of the local part and the domain:
// 1320000000@qq.com -> 132****@qq.com.
func maskEmail(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok {
		return maskMiddle(s)
	}
	r := []rune(local)
	return string(r[:min(3, len(r))]) + "****@" + domain
}
