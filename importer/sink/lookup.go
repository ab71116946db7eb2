package sink

import (
	"context"
	"fmt"
	"strings"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// verdict is what a lookup says about a row's user.
type verdict int

const (
	absent verdict = iota // no user with any of the row's identifiers
	ours                  // the user is the one this row describes
	theirs                // an identifier is taken by another user
)

// finding is the answer of Finder.find.
type finding struct {
	verdict    verdict
	user       *ciam.User
	identifier ciam.Identifier
}

// Finder looks a row's user up to settle rows whose CreateUser may or may not
// have happened. With the legacy id in an indexed attribute, "ours" means that
// attribute holds the row's key; without it, that every identifier (email,
// phone number, user name and the six social ones) matches the row, empty
// ones included.
type Finder struct {
	api        API // paced
	storeID    string
	legacyAttr int // 1..5, 0 when the mapping does not store the legacy id
}

// find looks the row's user up by each identifier the row has: the legacy
// id, then UserName, Email, PhoneNumber, then the social identifiers
// DescribeUser's whitelist has (wechatOpenId, wechatUnionId, alipayUserId,
// qqOpenId, qqUnionId; not WeComUserId, which no lookup takes: the mapping
// refuses a row whose only identifier it is). An empty identifier is never
// looked up: it would match users without one.
func (f *Finder) find(ctx context.Context, u *mapping.User) (finding, error) {
	if f.legacyAttr > 0 {
		users, err := f.byLegacyID(ctx, u)
		if err != nil || len(users) > 0 {
			return f.judge(users, u, ""), err
		}
	}
	steps := []struct {
		ident ciam.Identifier
		value string
		look  func(string) ([]ciam.User, error)
	}{
		{ciam.IdentUserName, u.UserName, func(v string) ([]ciam.User, error) { return f.describe(ctx, "userName", v) }},
		{ciam.IdentEmail, u.Email, func(v string) ([]ciam.User, error) { return f.byProperty(ctx, ciam.PropertyEmail, v) }},
		{ciam.IdentPhone, u.PhoneNumber, func(v string) ([]ciam.User, error) { return f.byProperty(ctx, ciam.PropertyPhoneNumber, v) }},
	}
	for _, s := range socialKeys {
		steps = append(steps, struct {
			ident ciam.Identifier
			value string
			look  func(string) ([]ciam.User, error)
		}{s.ident, s.row(u), func(v string) ([]ciam.User, error) { return f.describe(ctx, s.key, v) }})
	}
	for _, s := range steps {
		if s.value == "" {
			continue
		}
		users, err := s.look(s.value)
		if err != nil || len(users) > 0 {
			return f.judge(users, u, s.ident), err
		}
	}
	return finding{verdict: absent}, nil
}

// socialKey is a social identifier DescribeUser can filter by.
type socialKey struct {
	key   string // DescribeUser's PropertyKey
	ident ciam.Identifier
	row   func(*mapping.User) string
	user  func(*ciam.User) *string
}

// socialKeys are the social identifiers, WeComUserId aside (isOurs
// compares it too).
var socialKeys = []socialKey{
	{"wechatOpenId", "wechat_open_id", func(u *mapping.User) string { return u.WechatOpenId }, func(c *ciam.User) *string { return c.WechatOpenId }},
	{"wechatUnionId", "wechat_union_id", func(u *mapping.User) string { return u.WechatUnionId }, func(c *ciam.User) *string { return c.WechatUnionId }},
	{"alipayUserId", "alipay_user_id", func(u *mapping.User) string { return u.AlipayUserId }, func(c *ciam.User) *string { return c.AlipayUserId }},
	{"qqOpenId", "qq_open_id", func(u *mapping.User) string { return u.QqOpenId }, func(c *ciam.User) *string { return c.QqOpenId }},
	{"qqUnionId", "qq_union_id", func(u *mapping.User) string { return u.QqUnionId }, func(c *ciam.User) *string { return c.QqUnionId }},
}

// ours is the lookup of a row whose send is in doubt: did that send create
// our user? With the legacy id in an indexed attribute one lookup answers
// that; whether an identifier is taken by someone else needs no lookup of
// its own, since a resend then answers AlreadyExists and the full find
// settles it as a conflict. This spares three lookups' latency per row in
// doubt, which at the end of a run is time the last resend waits (make
// bench, figure 1b). Without the attribute it is find.
func (f *Finder) ours(ctx context.Context, u *mapping.User) (finding, error) {
	if f.legacyAttr == 0 {
		return f.find(ctx, u)
	}
	users, err := f.byLegacyID(ctx, u)
	return f.judge(users, u, ""), err
}

// byLegacyID lists the users whose legacy-id attribute holds u's key.
func (f *Finder) byLegacyID(ctx context.Context, u *mapping.User) ([]ciam.User, error) {
	return f.describe(ctx, fmt.Sprintf("indexedAttribute%d", f.legacyAttr), u.Key)
}

func (f *Finder) judge(users []ciam.User, u *mapping.User, ident ciam.Identifier) finding {
	if len(users) == 0 {
		return finding{verdict: absent}
	}
	for i := range users {
		if f.isOurs(&users[i], u) {
			return finding{verdict: ours, user: &users[i]}
		}
	}
	return finding{verdict: theirs, user: &users[0], identifier: ident}
}

func (f *Finder) isOurs(c *ciam.User, u *mapping.User) bool { return Ours(c, u, f.legacyAttr) }

// Ours is the one rule that tells whether CIAM's user c is the one row u
// describes: with the legacy id in IndexedAttribute legacyAttr (1 to 5),
// that attribute holds u's key; without it (legacyAttr 0), email (ignoring
// case), phone number and user name all match. Lookups and verify share it.
func Ours(c *ciam.User, u *mapping.User, legacyAttr int) bool {
	if legacyAttr > 0 {
		return ciam.Indexed(c, legacyAttr) == u.Key
	}
	if !strings.EqualFold(ciam.Value(c.Email), u.Email) || ciam.Value(c.PhoneNumber) != u.PhoneNumber ||
		ciam.Value(c.UserName) != u.UserName || ciam.Value(c.WeComUserId) != u.WeComUserId {
		return false
	}
	for _, s := range socialKeys {
		if ciam.Value(s.user(c)) != s.row(u) {
			return false
		}
	}
	return true
}

func (f *Finder) describe(ctx context.Context, key, value string) ([]ciam.User, error) {
	yes := true
	req := &ciam.DescribeUserRequest{
		UserStoreId: f.storeID,
		Pageable:    ciam.Pageable{PageSize: 10, PageNumber: 1},
		Filters:     []ciam.QueryUserFilter{{PropertyKey: key, PropertyValue: value, Logic: &yes, OperateLogic: "="}},
		Original:    &yes,
	}
	resp, err := f.api.DescribeUser(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp.Content, nil
}

func (f *Finder) byProperty(ctx context.Context, code, value string) ([]ciam.User, error) {
	yes := true
	req := &ciam.ListUserByPropertyRequest{UserStoreId: f.storeID, PropertyCode: code, PropertyValue: value, Original: &yes}
	resp, err := f.api.ListUserByProperty(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp.Users, nil
}

// NewFinder makes the lookups of a run: api is paced; legacyAttr is the
// indexed attribute (1 to 5) holding the legacy id, 0 for none.
func NewFinder(api API, storeID string, legacyAttr int) *Finder {
	return &Finder{api: api, storeID: storeID, legacyAttr: legacyAttr}
}
