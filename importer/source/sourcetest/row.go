package sourcetest

import (
	"math/bits"
	"strconv"
	"sync"
	"time"
)

// Columns are the column names of the export, in file order.
var Columns = []string{
	"legacy_id", "login", "email", "mobile", "first_name", "last_name",
	"birthday", "groups", "dept", "password",
}

// name is a display name and its ASCII form, used in logins.
type name struct{ display, ascii string }

var (
	firstNames = []name{
		{"Wei", "wei"}, {"Fang", "fang"}, {"Li", "li"}, {"Jing", "jing"}, {"Min", "min"},
		{"Anna", "anna"}, {"James", "james"}, {"Maria", "maria"}, {"David", "david"},
		{"José", "jose"}, {"Zoë", "zoe"}, {"Łukasz", "lukasz"}, {"Søren", "soren"},
		{"Ayşe", "ayse"}, {"Nguyễn", "nguyen"}, {"Priya", "priya"},
	}
	lastNames = []name{
		{"Wang", "wang"}, {"Li", "li"}, {"Zhang", "zhang"}, {"Liu", "liu"}, {"Chen", "chen"},
		{"王", "wang"}, {"张", "zhang"}, {"Smith", "smith"}, {"García", "garcia"},
		{"Müller", "muller"}, {"O'Brien", "obrien"}, {"Kowalski", "kowalski"},
		{"Tanaka", "tanaka"}, {"Silva", "silva"},
	}
	domains = []string{"example.com", "example.org", "example.net", "mail.example.cn"}
	depts   = []string{
		"Sales", "Sales, EMEA", "Engineering", "R&D \"Labs\"", "Support", "Finance",
		"Marketing", "", "Operations", "HR",
	}
	// groupSets are the groups values, by bit mask; customers come first.
	groupSets = []string{
		"", "customers", "staff", "customers;staff", "admins", "admins;customers",
		"admins;staff", "admins;customers;staff",
	}
)

// mobilePrefixes are allocated Chinese mobile prefixes, so that every
// generated number is valid for libphonenumber (region CN).
var mobilePrefixes = [30]string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "177",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
}

const (
	idSpace     = 1_000_000_000 // legacy ids are 10 digits: 1 then a permuted index
	idMul       = 387_420_489   // 3^18, coprime with idSpace
	mobileSpace = 3_000_000_000 // +86, one of the 30 mobilePrefixes, 8 digits
	mobileMul   = 1_977_326_743 // 7^11, coprime with mobileSpace
	bcryptChars = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	firstDay    = -7305 // 1950-01-01, in days since 1970-01-01
	dayCount    = 20089 // up to 2004-12-31
)

// dates holds every birthday, formatted, by day.
var dates = sync.OnceValue(func() []string {
	d := make([]string, dayCount)
	for i := range d {
		d[i] = time.Unix(int64(firstDay+i)*86400, 0).UTC().Format(time.DateOnly)
	}
	return d
})

// row is one generated user, before formatting.
type row struct {
	id, mobile  uint64
	first, last name
	domain      string
	birthday    string
	groups      string
	dept        string
	password    [60]byte
}

// makeRow returns row i of the export made with seed.
func makeRow(seed int64, i int) row {
	g := rng{s: mix(uint64(seed)) ^ mix(uint64(i)+0x5851f42d4c957f2d)}
	r := row{
		id:       permute(uint64(i), idMul, mix(uint64(seed)), idSpace),
		mobile:   permute(uint64(i), mobileMul, mix(uint64(seed)+1), mobileSpace),
		first:    firstNames[g.intn(len(firstNames))],
		last:     lastNames[g.intn(len(lastNames))],
		domain:   domains[g.intn(len(domains))],
		birthday: dates()[g.intn(dayCount)],
		groups:   groupSets[pickGroups(g.intn(100))],
		dept:     depts[g.intn(len(depts))],
	}
	copy(r.password[:], "$2a$10$")
	for j := 7; j < len(r.password); j += 10 {
		v := g.next()
		for k := j; k < min(j+10, len(r.password)); k++ {
			r.password[k] = bcryptChars[v&63]
			v >>= 6
		}
	}
	return r
}

// pickGroups maps a percentile to a group mask: mostly customers.
func pickGroups(p int) int {
	switch {
	case p < 70:
		return 1
	case p < 85:
		return 2
	case p < 92:
		return 3
	case p < 95:
		return 0
	}
	return 4 + p%4
}

// permute maps i < space one-to-one into [0, space), given mul coprime with space.
func permute(i, mul, add, space uint64) uint64 {
	hi, lo := bits.Mul64(i%space, mul)
	_, rem := bits.Div64(hi, lo, space)
	return (rem + add%space) % space
}

// appendField appends the value of column col of r.
func (r *row) appendField(b []byte, col int) []byte {
	switch col {
	case 0:
		return strconv.AppendUint(b, idSpace+r.id, 10)
	case 1:
		return r.appendLogin(b)
	case 2:
		return append(append(r.appendLogin(b), '@'), r.domain...)
	case 3:
		b = append(b, "+86"...)
		b = append(b, mobilePrefixes[r.mobile/1e8]...)
		return appendDigits(b, r.mobile%1e8, 8)
	case 4:
		return append(b, r.first.display...)
	case 5:
		return append(b, r.last.display...)
	case 6:
		return append(b, r.birthday...)
	case 7:
		return append(b, r.groups...)
	case 8:
		return append(b, r.dept...)
	}
	return append(b, r.password[:]...)
}

// appendLogin appends the login, first.last then the id: unique by the id.
func (r *row) appendLogin(b []byte) []byte {
	b = append(b, r.first.ascii...)
	b = append(b, '.')
	b = append(b, r.last.ascii...)
	return strconv.AppendUint(b, r.id, 10)
}

// appendDigits appends v as exactly n decimal digits.
func appendDigits(b []byte, v uint64, n int) []byte {
	var d [20]byte
	for i := n - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:n]...)
}

// Row returns the values of row i (from 0) of the export made with seed, in
// Columns order. In CSV, row i is on line i+2.
func Row(seed int64, i int) []string {
	r := makeRow(seed, i)
	out := make([]string, len(Columns))
	var b []byte
	for col := range Columns {
		b = r.appendField(b[:0], col)
		out[col] = string(b)
	}
	return out
}

// rng is splitmix64: small, fast and good enough for test data.
type rng struct{ s uint64 }

func (g *rng) next() uint64 {
	g.s += 0x9e3779b97f4a7c15
	return mix(g.s)
}

func (g *rng) intn(n int) int { return int(g.next() % uint64(n)) }

// mix is the splitmix64 finalizer.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
