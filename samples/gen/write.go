package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	_ "time/tzdata" // birthdays are midnight in Asia/Shanghai on any host
)

// shanghai is the time zone the sample mappings use for birthdays.
var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// csvHeader is the legacy CRM export's header.
var csvHeader = []string{"legacy_id", "login", "email", "mobile", "password", "display_name", "street", "city",
	"groups", "birthday", "dept", "vip_level", "newsletter", "employee_no", "sso_subject"}

// writeCSV writes users as the legacy CRM's CSV export.
func writeCSV(w io.Writer, users []user) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, u := range users {
		if err := cw.Write(csvRecord(u)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRecord renders one user in header order.
func csvRecord(u user) []string {
	login := u.login
	if u.messyLogin {
		login = " " + strings.ToUpper(login[:1]) + login[1:]
	}
	vip := ""
	if u.vip >= 0 {
		vip = fmt.Sprint(u.vip)
	}
	return []string{u.id, login, u.email, u.phone.text, u.password, u.display, u.street, u.city,
		u.groups, csvBirthday(u), u.dept, vip, []string{"", "Y", "N"}[u.newsletter], u.employeeNo, u.sso}
}

// csvBirthday writes the birthday in one of the mapping's two layouts.
func csvBirthday(u user) string {
	switch {
	case u.birthdayText != "":
		return u.birthdayText
	case u.birthday.IsZero():
		return ""
	case u.slashDate:
		return u.birthday.Format("2006/01/02")
	}
	return u.birthday.Format(time.DateOnly)
}

// writeJSONL writes users as the legacy identity provider's JSONL export.
func writeJSONL(w io.Writer, users []user) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, u := range users {
		if err := enc.Encode(jsonRecord(u)); err != nil {
			return err
		}
	}
	return nil
}
