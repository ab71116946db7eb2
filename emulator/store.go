package emulator

import (
	"strconv"

	"github.com/ciam-import/ciam-import/importer/ciam"
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
)

// scalarProps reads every single-valued whitelisted property of a user.
// userGroup, the only multi-valued one, is handled apart.
var scalarProps = map[string]func(*ciam.User) *string{
	propID:               func(u *ciam.User) *string { return &u.UserId },
	propUserName:         func(u *ciam.User) *string { return u.UserName },
	propPhoneNumber:      func(u *ciam.User) *string { return u.PhoneNumber },
	propEmail:            func(u *ciam.User) *string { return u.Email },
	"alipayUserId":       func(u *ciam.User) *string { return u.AlipayUserId },
	"wechatOpenId":       func(u *ciam.User) *string { return u.WechatOpenId },
	"wechatUnionId":      func(u *ciam.User) *string { return u.WechatUnionId },
	"qqOpenId":           func(u *ciam.User) *string { return u.QqOpenId },
	"qqUnionId":          func(u *ciam.User) *string { return u.QqUnionId },
	"indexedAttribute1":  func(u *ciam.User) *string { return u.IndexedAttribute1 },
	"indexedAttribute2":  func(u *ciam.User) *string { return u.IndexedAttribute2 },
	"indexedAttribute3":  func(u *ciam.User) *string { return u.IndexedAttribute3 },
	"indexedAttribute4":  func(u *ciam.User) *string { return u.IndexedAttribute4 },
	"indexedAttribute5":  func(u *ciam.User) *string { return u.IndexedAttribute5 },
	propLastModifiedDate: lastModified,
}

func lastModified(u *ciam.User) *string {
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

// userStore holds the users of one user store in creation order, with an
// exact-match index on every whitelisted property so lookups are O(1).
// Stored users are never modified after insertion.
type userStore struct {
	users []*ciam.User
	index map[string]map[string][]int // property -> value -> positions
}

func newUserStore() *userStore {
	return &userStore{index: map[string]map[string][]int{}}
}

func (st *userStore) add(u *ciam.User) {
	pos := len(st.users)
	st.users = append(st.users, u)
	for key, get := range scalarProps {
		if v := get(u); v != nil {
			st.indexValue(key, *v, pos)
		}
	}
	for _, g := range u.UserGroups {
		st.indexValue(propUserGroup, g, pos)
	}
}

func (st *userStore) indexValue(key, value string, pos int) {
	m := st.index[key]
	if m == nil {
		m = map[string][]int{}
		st.index[key] = m
	}
	m[value] = append(m[value], pos)
}

// taken reports whether some user has property key equal to value.
func (st *userStore) taken(key, value string) bool {
	return len(st.index[key][value]) > 0
}

// lookup returns the users whose property key equals value, oldest first.
func (st *userStore) lookup(key, value string) []*ciam.User {
	positions := st.index[key][value]
	out := make([]*ciam.User, len(positions))
	for i, p := range positions {
		out[i] = st.users[p]
	}
	return out
}

// all returns every user, oldest first.
func (st *userStore) all() []*ciam.User {
	return append([]*ciam.User(nil), st.users...)
}
