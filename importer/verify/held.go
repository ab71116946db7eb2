package verify

import (
	"encoding/json"
	"strings"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// Indexes of held.str: the string attributes verify reads, by User key.
const (
	hUserName = iota
	hPhoneNumber
	hEmail
	hNickname
	hAddress
	hIndexed1 // IndexedAttribute1; the next four are 2 to 5
	_
	_
	_
	_
	hWeComUserID
	hWechatOpenID
	hWechatUnionID
	hAlipayUserID
	hQqOpenID
	hQqUnionID
	nHeldStr
)

// heldStrKeys are the User keys of held.str, in its order.
var heldStrKeys = [nHeldStr]string{"UserName", "PhoneNumber", "Email", "Nickname", "Address",
	"IndexedAttribute1", "IndexedAttribute2", "IndexedAttribute3", "IndexedAttribute4", "IndexedAttribute5",
	"WeComUserId", "WechatOpenId", "WechatUnionId", "AlipayUserId", "QqOpenId", "QqUnionId"}

// held is what verify reads of one exported user: the fields Compare
// compares and sink.Ours matches on, nothing else. Strings are views of
// the line's text, so decoding a plain line allocates little.
type held struct {
	id       string
	str      [nHeldStr]string // "" when absent or null
	birth    int64
	hasBirth bool
	groups   []string
	attrs    []ciam.MemberMap
}

// heldJSON is held as encoding/json decodes it: the reference the fast
// decoder must agree with, and its fallback.
type heldJSON struct {
	UserId            string           `json:"UserId"`
	UserName          *string          `json:"UserName"`
	PhoneNumber       *string          `json:"PhoneNumber"`
	Email             *string          `json:"Email"`
	Nickname          *string          `json:"Nickname"`
	Address           *string          `json:"Address"`
	IndexedAttribute1 *string          `json:"IndexedAttribute1"`
	IndexedAttribute2 *string          `json:"IndexedAttribute2"`
	IndexedAttribute3 *string          `json:"IndexedAttribute3"`
	IndexedAttribute4 *string          `json:"IndexedAttribute4"`
	IndexedAttribute5 *string          `json:"IndexedAttribute5"`
	WeComUserId       *string          `json:"WeComUserId"`
	WechatOpenId      *string          `json:"WechatOpenId"`
	WechatUnionId     *string          `json:"WechatUnionId"`
	AlipayUserId      *string          `json:"AlipayUserId"`
	QqOpenId          *string          `json:"QqOpenId"`
	QqUnionId         *string          `json:"QqUnionId"`
	Birthdate         *int64           `json:"Birthdate"`
	UserGroups        []string         `json:"UserGroups"`
	CustomAttributes  []ciam.MemberMap `json:"CustomAttributes"`
}

// decodeJSON decodes line with encoding/json.
func decodeJSON(line string) (held, error) {
	var j heldJSON
	if err := json.Unmarshal([]byte(line), &j); err != nil {
		return held{}, err
	}
	h := held{id: j.UserId, groups: j.UserGroups, attrs: j.CustomAttributes}
	for i, p := range [nHeldStr]*string{j.UserName, j.PhoneNumber, j.Email, j.Nickname, j.Address,
		j.IndexedAttribute1, j.IndexedAttribute2, j.IndexedAttribute3, j.IndexedAttribute4, j.IndexedAttribute5,
		j.WeComUserId, j.WechatOpenId, j.WechatUnionId, j.AlipayUserId, j.QqOpenId, j.QqUnionId} {
		h.str[i] = ciam.Value(p)
	}
	if j.Birthdate != nil {
		h.birth, h.hasBirth = *j.Birthdate, true
	}
	return h, nil
}

// user is h as a ciam.User, for Compare and sink.Ours.
func (h *held) user() *ciam.User {
	p := func(i int) *string {
		if h.str[i] == "" {
			return nil
		}
		s := h.str[i]
		return &s
	}
	u := &ciam.User{UserId: h.id, UserName: p(hUserName), PhoneNumber: p(hPhoneNumber), Email: p(hEmail),
		Nickname: p(hNickname), Address: p(hAddress), UserGroups: h.groups, CustomAttributes: h.attrs,
		IndexedAttribute1: p(hIndexed1), IndexedAttribute2: p(hIndexed1 + 1), IndexedAttribute3: p(hIndexed1 + 2),
		IndexedAttribute4: p(hIndexed1 + 3), IndexedAttribute5: p(hIndexed1 + 4), WeComUserId: p(hWeComUserID),
		WechatOpenId: p(hWechatOpenID), WechatUnionId: p(hWechatUnionID), AlipayUserId: p(hAlipayUserID),
		QqOpenId: p(hQqOpenID), QqUnionId: p(hQqUnionID)}
	if h.hasBirth {
		b := h.birth
		u.Birthdate = &b
	}
	return u
}

// canon is canonCIAM(h.user()) without building the user.
func (h *held) canon() canon {
	var birth *int64
	if h.hasBirth {
		birth = &h.birth
	}
	return canon{fixed: [...]string{h.str[hUserName], strings.ToLower(h.str[hEmail]), h.str[hPhoneNumber],
		h.str[hNickname], h.str[hAddress], millis(birth), sortedJoin(h.groups),
		h.str[hIndexed1], h.str[hIndexed1+1], h.str[hIndexed1+2], h.str[hIndexed1+3], h.str[hIndexed1+4]},
		attrs: h.attrs}
}

// key is keyOf(h.user(), legacyAttr).
func (h *held) key(legacyAttr int) string {
	if legacyAttr > 0 {
		return h.str[hIndexed1+legacyAttr-1]
	}
	return identity(h.str[hUserName], h.str[hEmail], h.str[hPhoneNumber])
}
