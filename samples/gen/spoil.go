package main

import (
	"strings"
)

// badEvery puts one bad row in every badEvery rows (5%).
const badEvery = 20

// Bad values by failing parameter; each is used in turn.
var badValues = map[string][]string{
	"Email":     {"zhang.wei#example.com", "li na@example.com", "wang.fang@localhost"},
	"UserGroup": {"contractors", "staff;vendors", "Admins;interns"},
	"Birthdate": {"1988-02-30", "17.05.1990", "unknown"},
}

// badFields is the order in which bad rows rotate through parameters.
var badFields = []string{"Email", "PhoneNumber", "UserGroup", "Birthdate", "IndexedAttribute2"}

// duplicates lists (row, earlier row, parameter) collisions.
var duplicates = []struct {
	row, of int
	field   string
}{{101, 7, "Email"}, {157, 33, "PhoneNumber"}, {211, 64, "Email"}, {263, 120, "PhoneNumber"}}

// spoil makes ~5% of users invalid and a few duplicate earlier ones.
func spoil(users []user) {
	for i := badEvery - 1; i < len(users); i += badEvery {
		k := i / badEvery
		field := badFields[k%len(badFields)]
		spoilOne(&users[i], field, k/len(badFields))
	}
	for _, d := range duplicates {
		u, of := &users[d.row], users[d.of]
		u.dupOf, u.dupField = of.id, d.field
		if d.field == "Email" {
			u.email = " " + strings.ToUpper(strings.TrimSpace(of.email))
		} else {
			u.phone = phone{text: reformat(of.phone), e164: of.phone.e164}
		}
	}
}

// spoilOne breaks one parameter of u.
func spoilOne(u *user, field string, variant int) {
	u.badField = field
	switch field {
	case "Email":
		u.email = badValues[field][variant%3]
	case "PhoneNumber":
		u.phone = phone{}
	case "UserGroup":
		u.groups = badValues[field][variant%3]
	case "Birthdate":
		u.birthdayText = badValues[field][variant%3]
	case "IndexedAttribute2":
		u.sso = "saml|" + strings.Repeat("0123456789abcdef", 40)
	}
}
