package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// user is one generated legacy user, format-neutral.
type user struct {
	id, login, email, password string
	phone                      phone
	cn                         bool
	first, last, display       string // given name, family name, display name
	street, city               string
	groups                     string // ";"-separated, as the legacy system wrote it
	birthday                   time.Time
	birthdayText               string // overrides birthday when set (bad rows)
	slashDate                  bool   // CSV writes 2006/01/02 instead of 2006-01-02
	dept                       string
	vip                        int // -1 = not set
	newsletter                 int // 0 unset, 1 yes, 2 no
	employeeNo, sso            string
	messyLogin                 bool   // CSV writes the login with a space and a capital
	badField                   string // CIAM parameter this row must fail on
	dupOf, dupField            string // earlier user this one collides with
}

// generator holds the state that keeps values unique within a population.
type generator struct {
	rng                    *rand.Rand
	logins, emails, phones map[string]bool
}

// population generates rows users with ids from idFormat, then spoils some.
func population(seed uint64, idFormat string, firstID int) []user {
	g := &generator{rng: rand.New(rand.NewPCG(seed, 2024)),
		logins: map[string]bool{}, emails: map[string]bool{}, phones: map[string]bool{}}
	users := make([]user, rows)
	for i := range users {
		users[i] = g.user(fmt.Sprintf(idFormat, firstID+i))
	}
	spoil(users)
	return users
}

// user draws one user.
func (g *generator) user(id string) user {
	r := g.rng
	u := user{id: id, cn: r.IntN(10) < 6, vip: r.IntN(7) - 1, newsletter: r.IntN(3)}
	g.name(&u)
	u.login = g.unique(g.logins, u.login)
	u.messyLogin = r.IntN(8) == 0
	u.email = g.emailFor(u.login)
	u.phone = newPhone(r, g.phones)
	u.password = passwords[r.IntN(len(passwords))] + fmt.Sprint(r.IntN(100))
	u.groups = groupSets[r.IntN(len(groupSets))]
	u.dept = depts[r.IntN(len(depts))]
	u.employeeNo = fmt.Sprintf([]string{"E-%05d", "e %05d", "E%05d"}[r.IntN(3)], 10000+r.IntN(90000))
	if r.IntN(2) == 0 {
		u.sso = fmt.Sprintf("auth0|%016x%08x", r.Uint64(), r.Uint32())
	}
	if r.IntN(10) > 0 {
		u.birthday = time.Date(1950+r.IntN(56), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		u.slashDate = r.IntN(5) == 0
	}
	return u
}

// name fills names, address and the login stem.
func (g *generator) name(u *user) {
	r := g.rng
	if u.cn {
		s, n := cnSurnames[r.IntN(len(cnSurnames))], cnGiven[r.IntN(len(cnGiven))]
		u.first, u.last, u.display = n[0], s[0], s[0]+n[0]
		u.login = []string{s[1] + n[1], n[1] + "." + s[1], s[1] + "_" + n[1]}[r.IntN(3)]
		u.street, u.city = cnStreets[r.IntN(len(cnStreets))], cnCities[r.IntN(len(cnCities))]
		return
	}
	u.first, u.last = latinFirst[r.IntN(len(latinFirst))], latinLast[r.IntN(len(latinLast))]
	u.display = u.first + []string{" ", "  "}[r.IntN(2)] + u.last
	u.login = ascii(strings.ToLower(u.first + "." + u.last))
	u.street, u.city = latinStreet[r.IntN(len(latinStreet))], latinCities[r.IntN(len(latinCities))]
}

// unique appends digits to stem until it is unused in seen.
func (g *generator) unique(seen map[string]bool, stem string) string {
	v := stem
	for seen[v] {
		v = fmt.Sprintf("%s%d", stem, 1+g.rng.IntN(99))
	}
	seen[v] = true
	return v
}

// emailFor builds a unique address from a login, in legacy mixed case.
func (g *generator) emailFor(login string) string {
	r := g.rng
	addr := g.unique(g.emails, login+"@"+domains[r.IntN(len(domains))])
	switch r.IntN(6) {
	case 0:
		return strings.ToUpper(addr[:1]) + addr[1:]
	case 1:
		return "  " + addr + " "
	case 2:
		return strings.Replace(addr, "example", "Example", 1)
	}
	return addr
}

// ascii folds the accented letters used in latinFirst/latinLast.
func ascii(s string) string {
	return strings.NewReplacer("ë", "e", "é", "e", "ü", "ue", "í", "i", "'", "").Replace(s)
}
