package verify

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// Diff is one mapped field that CIAM holds otherwise than the row says.
// Sent and Got are comparable forms (emails lower-cased, birthdates in
// epoch milliseconds, groups sorted and joined by ";"); never a secret,
// since passwords, hashes and salts are not compared.
type Diff struct {
	Field string
	Sent  string
	Got   string
}

// fixedFields names the fields every row is compared on, in order.
var fixedFields = [...]string{"UserName", "Email", "PhoneNumber", "Nickname", "Address", "Birthdate", "UserGroup",
	"IndexedAttribute1", "IndexedAttribute2", "IndexedAttribute3", "IndexedAttribute4", "IndexedAttribute5"}

// canon is a user in comparable form: the fixed fields in fixedFields'
// order, and the custom attributes by name.
type canon struct {
	fixed [len(fixedFields)]string
	attrs []ciam.MemberMap // row: in mapping order; CIAM: as held
}

// canonRow is the comparable form of a mapped row.
func canonRow(u *mapping.User) canon {
	c := canon{fixed: [...]string{u.UserName, strings.ToLower(u.Email), u.PhoneNumber, u.Nickname, u.Address,
		millis(storedBirthdate(u)), sortedJoin(u.UserGroup),
		u.IndexedAttributes[0], u.IndexedAttributes[1], u.IndexedAttributes[2], u.IndexedAttributes[3], u.IndexedAttributes[4]}}
	for _, a := range u.CustomizationAttributes {
		c.attrs = append(c.attrs, ciam.MemberMap{Name: a.Name, Value: a.Value})
	}
	return c
}

// canonCIAM is the comparable form of what CIAM holds.
func canonCIAM(u *ciam.User) canon {
	return canon{fixed: [...]string{ciam.Value(u.UserName), strings.ToLower(ciam.Value(u.Email)), ciam.Value(u.PhoneNumber),
		ciam.Value(u.Nickname), ciam.Value(u.Address), millis(u.Birthdate), sortedJoin(u.UserGroups),
		ciam.Indexed(u, 1), ciam.Indexed(u, 2), ciam.Indexed(u, 3), ciam.Indexed(u, 4), ciam.Indexed(u, 5)},
		attrs: u.CustomAttributes}
}

// Compare lists the mapped fields of u that CIAM's c holds differently:
// user name, email (ignoring case), phone number, nickname, address,
// birthdate, groups (in any order), the five indexed attributes, and the
// custom attributes the row maps (an attribute CIAM lacks counts as
// empty). Passwords are never compared. The canary and verify share it.
func Compare(u *mapping.User, c *ciam.User) []Diff {
	return compareCanon(canonRow(u), canonCIAM(c))
}

func compareCanon(sent, got canon) []Diff {
	var out []Diff
	for i, name := range fixedFields {
		if sent.fixed[i] != got.fixed[i] {
			out = append(out, Diff{Field: name, Sent: sent.fixed[i], Got: got.fixed[i]})
		}
	}
	held := make(map[string]string, len(got.attrs))
	for _, a := range got.attrs {
		held[a.Name] = a.Value
	}
	for _, a := range sent.attrs {
		if a.Value != held[a.Name] {
			out = append(out, Diff{Field: "CustomizationAttributes[" + a.Name + "]", Sent: a.Value, Got: held[a.Name]})
		}
	}
	return out
}

// FieldNames joins the names of diffs with ";", for a report.
func FieldNames(diffs []Diff) string {
	names := make([]string, len(diffs))
	for i, d := range diffs {
		names[i] = d.Field
	}
	return strings.Join(names, ";")
}

func millis(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func sortedJoin(s []string) string {
	c := slices.Clone(s)
	slices.Sort(c)
	return strings.Join(c, ";")
}

// storedBirthdate is the Birthdate CIAM should hold for row u. A row that
// went through the import job sent its date (mapping.User.BirthDay,
// yyyy-MM-dd): the store keeps that day, read here as midnight UTC (the
// emulator's reading; the reference does not say which midnight). A store
// that reads it in another zone shows as a Birthdate difference, which is
// what the canary and verify are for. A CreateUser row sent the instant.
func storedBirthdate(u *mapping.User) *int64 {
	if u.Birthdate == nil || u.BirthDay == "" || !u.ViaImportJob() {
		return u.Birthdate
	}
	day, err := time.Parse(time.DateOnly, u.BirthDay)
	if err != nil {
		return u.Birthdate
	}
	ms := day.UnixMilli()
	return &ms
}
