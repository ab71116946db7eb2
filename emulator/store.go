package emulator

import (
	"slices"
	"strconv"
)

// Property keys of DescribeUser filters and sorts (the whitelist quoted by
// FailedOperation.QueryUsersParameterMustInWhitelist, reference §2.5).
const (
	propID               = "id"
	propUserName         = "userName"
	propPhoneNumber      = "phoneNumber"
	propEmail            = "email"
	propUserGroup        = "userGroup"
	propLastModifiedDate = "lastModifiedDate"
	propUserOrg          = "userOrg" // ListUser only; indexed, not whitelisted
)

// scalarProps reads every single-valued whitelisted property of a user.
// userGroup, the only multi-valued one, is handled apart.
var scalarProps = map[string]func(*User) *string{
	propID:               func(u *User) *string { return &u.UserId },
	propUserName:         func(u *User) *string { return u.UserName },
	propPhoneNumber:      func(u *User) *string { return u.PhoneNumber },
	propEmail:            func(u *User) *string { return u.Email },
	"alipayUserId":       func(u *User) *string { return u.AlipayUserId },
	"wechatOpenId":       func(u *User) *string { return u.WechatOpenId },
	"wechatUnionId":      func(u *User) *string { return u.WechatUnionId },
	"qqOpenId":           func(u *User) *string { return u.QqOpenId },
	"qqUnionId":          func(u *User) *string { return u.QqUnionId },
	"indexedAttribute1":  func(u *User) *string { return u.IndexedAttribute1 },
	"indexedAttribute2":  func(u *User) *string { return u.IndexedAttribute2 },
	"indexedAttribute3":  func(u *User) *string { return u.IndexedAttribute3 },
	"indexedAttribute4":  func(u *User) *string { return u.IndexedAttribute4 },
	"indexedAttribute5":  func(u *User) *string { return u.IndexedAttribute5 },
	propLastModifiedDate: lastModified,
}

func lastModified(u *User) *string {
	if u.LastModifiedDate == nil {
		return nil
	}
	s := strconv.FormatInt(*u.LastModifiedDate, 10)
	return &s
}

func whitelisted(key string) bool {
	_, ok := scalarProps[key]
	return ok || key == propUserGroup
}

// record is one stored user and its password (nil: none).
type record struct {
	user User
	pw   *storedPassword
}

// userStore holds the users of one user store in creation order, with an
// exact-match index on every whitelisted property so lookups are O(1). A
// deleted user leaves a nil at its position, so positions never move.
// Guarded by Server.mu.
type userStore struct {
	users []*record
	live  int                         // non-nil entries of users
	index map[string]map[string][]int // property -> value -> positions
}

func newUserStore() *userStore {
	return &userStore{index: map[string]map[string][]int{}}
}

func (st *userStore) add(r *record) {
	pos := len(st.users)
	st.users = append(st.users, r)
	st.live++
	st.indexAll(pos, true)
}

// remove deletes the user with id; false if there is none.
func (st *userStore) remove(id string) bool {
	pos := st.position(id)
	if pos < 0 {
		return false
	}
	st.indexAll(pos, false)
	st.users[pos] = nil
	st.live--
	return true
}

// replace swaps the user at pos for u, re-indexing only the values that
// changed (a big group's position list is not rewritten for nothing).
func (st *userStore) replace(pos int, u User) {
	old := st.users[pos].user
	for key, get := range scalarProps {
		a, b := get(&old), get(&u)
		if a != nil && b != nil && *a == *b || a == nil && b == nil {
			continue
		}
		if a != nil {
			st.indexValue(key, *a, pos, false)
		}
		if b != nil {
			st.indexValue(key, *b, pos, true)
		}
	}
	st.reindexList(propUserGroup, old.UserGroups, u.UserGroups, pos)
	st.reindexList(propUserOrg, old.UserOrgs, u.UserOrgs, pos)
	st.users[pos].user = u
}

func (st *userStore) reindexList(key string, before, after []string, pos int) {
	for _, v := range before {
		if !slices.Contains(after, v) {
			st.indexValue(key, v, pos, false)
		}
	}
	for _, v := range after {
		if !slices.Contains(before, v) {
			st.indexValue(key, v, pos, true)
		}
	}
}

// indexAll adds (or removes) every indexed value of the user at pos.
func (st *userStore) indexAll(pos int, add bool) {
	u := &st.users[pos].user
	for key, get := range scalarProps {
		if v := get(u); v != nil {
			st.indexValue(key, *v, pos, add)
		}
	}
	for _, g := range u.UserGroups {
		st.indexValue(propUserGroup, g, pos, add)
	}
	for _, o := range u.UserOrgs {
		st.indexValue(propUserOrg, o, pos, add)
	}
}

func (st *userStore) indexValue(key, value string, pos int, add bool) {
	m := st.index[key]
	if m == nil {
		m = map[string][]int{}
		st.index[key] = m
	}
	if add {
		i, found := slices.BinarySearch(m[value], pos) // keep oldest first
		if !found {                                    // a list may repeat a value
			m[value] = slices.Insert(m[value], i, pos)
		}
		return
	}
	m[value] = slices.DeleteFunc(m[value], func(p int) bool { return p == pos })
	if len(m[value]) == 0 {
		delete(m, value)
	}
}

// taken reports whether a user other than pos (-1: any) has property key
// equal to value.
func (st *userStore) taken(key, value string, pos int) bool {
	for _, p := range st.index[key][value] {
		if p != pos {
			return true
		}
	}
	return false
}

// position returns where the user with id lives, or -1.
func (st *userStore) position(id string) int {
	if ps := st.index[propID][id]; len(ps) > 0 {
		return ps[0]
	}
	return -1
}

// lookup returns the users whose property key equals value, oldest first.
func (st *userStore) lookup(key, value string) []*User {
	positions := st.index[key][value]
	out := make([]*User, len(positions))
	for i, p := range positions {
		out[i] = &st.users[p].user
	}
	return out
}

// all returns every user, oldest first.
func (st *userStore) all() []*User {
	out := make([]*User, 0, st.live)
	for _, r := range st.users {
		if r != nil {
			out = append(out, &r.user)
		}
	}
	return out
}
