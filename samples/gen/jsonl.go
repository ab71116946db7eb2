package main

import (
	"strconv"
	"strings"
	"time"
)

// record is one JSONL line; field order is fixed by the struct.
type record struct {
	ID         int        `json:"id"`
	Login      string     `json:"login"`
	Profile    profile    `json:"profile"`
	Contact    contact    `json:"contact"`
	Groups     []string   `json:"groups"`
	Attributes attributes `json:"attributes"`
	External   *external  `json:"external,omitempty"`
}

// profile is the nested "profile" object.
type profile struct {
	FirstName   string   `json:"first_name"`
	LastName    string   `json:"last_name"`
	DisplayName *string  `json:"display_name"`
	Email       string   `json:"email"`
	Birthday    any      `json:"birthday"` // "2006-01-02", epoch ms, or null
	Address     *address `json:"address,omitempty"`
}

// address is profile.address; absent for some users.
type address struct {
	Line1 string `json:"line1"`
	City  string `json:"city"`
}

// contact holds the mobile number (null when missing) and emails.
type contact struct {
	Mobile *string  `json:"mobile"`
	Emails []string `json:"emails,omitempty"`
}

// attributes are typed JSON values for custom attributes.
type attributes struct {
	Dept       string `json:"dept,omitempty"`
	VIPLevel   *int   `json:"vip_level,omitempty"`
	Newsletter *bool  `json:"newsletter"`
	Tier       string `json:"tier,omitempty"`
}

// external holds ids in other systems.
type external struct {
	CRMID string `json:"crm_id"`
}

// jsonRecord converts a user to its JSONL shape.
func jsonRecord(u user) record {
	id, _ := strconv.Atoi(u.id)
	r := record{ID: id, Login: u.login, Groups: jsonGroups(u.groups),
		Profile:    profile{FirstName: u.first, LastName: u.last, Email: u.email, Birthday: jsonBirthday(u)},
		Contact:    contact{Emails: []string{strings.TrimSpace(u.email)}},
		Attributes: attributes{Dept: u.dept, Tier: []string{"", "g", "s", "b"}[id%4]}}
	if u.cn || id%3 == 0 {
		r.Profile.DisplayName = &u.display
	}
	if id%5 != 0 {
		r.Profile.Address = &address{Line1: u.street, City: u.city}
	}
	if u.phone.text != "" {
		r.Contact.Mobile = &u.phone.text
	}
	if u.vip >= 0 {
		r.Attributes.VIPLevel = &u.vip
	}
	if u.newsletter > 0 {
		yes := u.newsletter == 1
		r.Attributes.Newsletter = &yes
	}
	if u.sso != "" {
		r.External = &external{CRMID: u.sso}
	}
	return r
}

// jsonGroups splits the legacy group list into a JSON array.
func jsonGroups(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ";")
}

// jsonBirthday writes a birthday as text, or as epoch milliseconds for a
// quarter of users.
func jsonBirthday(u user) any {
	switch {
	case u.birthdayText != "":
		return u.birthdayText
	case u.birthday.IsZero():
		return nil
	case u.slashDate:
		d := u.birthday
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, shanghai).UnixMilli()
	}
	return u.birthday.Format(time.DateOnly)
}
