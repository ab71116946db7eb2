package emulator_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

var (
	userIDPattern    = regexp.MustCompile(`^[0-9a-f]{32}$`)
	requestIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

func TestCreateUserEchoesEveryParameter(t *testing.T) {
	now := time.Now().Truncate(time.Millisecond) // fixed, and within the signature window
	r := start(t, func(c *emulator.Config) { c.Now = func() time.Time { return now } })
	birth := int64(1706682491339)
	req := ciam.CreateUserRequest{
		UserStoreId: store, PhoneNumber: "+86-19877755556", Email: "testuser006@test.com",
		Password: "a&b<c>d", UserName: "testuser006", Nickname: "昵称 & <nick>", Address: "北京市海淀区",
		UserGroup: []string{group1, group2}, Birthdate: &birth,
		CustomizationAttributes: []ciam.MemberMap{{Name: "k", Value: "v&<>", Type: "STRING"}, {Name: "k2", Value: ""}},
		IndexedAttribute1:       "value1", IndexedAttribute2: "value2", IndexedAttribute3: "value3",
		IndexedAttribute4: "value4", IndexedAttribute5: strings.Repeat("长", 512),
		UserOrg: []string{org1},
	}
	body, err := send(demoClient(r), ciam.ActionCreateUser, req)
	if err != nil {
		t.Fatal(err)
	}
	var resp ciam.CreateUserResponse
	decodeResponse(t, body, &resp)
	u := resp.User
	if !requestIDPattern.MatchString(resp.RequestId) || !userIDPattern.MatchString(u.UserId) {
		t.Errorf("RequestId %q / UserId %q malformed", resp.RequestId, u.UserId)
	}
	want := map[string]any{
		"UserName": "testuser006", "PhoneNumber": "+86-19877755556", "Email": "testuser006@test.com",
		"Nickname": req.Nickname, "Address": req.Address, "Birthdate": birth,
		"IndexedAttribute1": "value1", "IndexedAttribute5": req.IndexedAttribute5,
		"Status": "NOT_ENABLED", "UserDataSourceEnum": "管理员添加", "TenantId": emulator.DemoTenantID,
		"UserStoreId": store, "CreatedDate": now.UnixMilli(), "LastModifiedDate": now.UnixMilli(),
		"Primary": true, "AlreadyFirstLogin": false, "IdentityVerified": false,
	}
	got := map[string]any{
		"UserName": *u.UserName, "PhoneNumber": *u.PhoneNumber, "Email": *u.Email,
		"Nickname": *u.Nickname, "Address": *u.Address, "Birthdate": *u.Birthdate,
		"IndexedAttribute1": *u.IndexedAttribute1, "IndexedAttribute5": *u.IndexedAttribute5,
		"Status": *u.Status, "UserDataSourceEnum": *u.UserDataSourceEnum, "TenantId": *u.TenantId,
		"UserStoreId": *u.UserStoreId, "CreatedDate": *u.CreatedDate, "LastModifiedDate": *u.LastModifiedDate,
		"Primary": *u.Primary, "AlreadyFirstLogin": *u.AlreadyFirstLogin, "IdentityVerified": *u.IdentityVerified,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if !equalJSON(u.UserGroups, req.UserGroup) || !equalJSON(u.UserOrgs, req.UserOrg) ||
		!equalJSON(u.CustomAttributes, req.CustomizationAttributes) {
		t.Errorf("lists: groups %v orgs %v attrs %v", u.UserGroups, u.UserOrgs, u.CustomAttributes)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestCreateUserMinimalShape checks the wire shape of the official example:
// every User key present, null when unset, [] for empty lists.
func TestCreateUserMinimalShape(t *testing.T) {
	r := start(t)
	body, err := send(demoClient(r), ciam.ActionCreateUser, userReq(1))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Response struct{ User map[string]json.RawMessage }
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	u := env.Response.User
	nulls := []string{"Address", "AlipayUserId", "Birthdate", "Description", "Gender", "IdentityVerificationMethod",
		"IndexedAttribute1", "IndexedAttribute5", "Job", "LastSignOn", "Locale", "LockTime", "LockType", "Name",
		"Nationality", "Nickname", "QqOpenId", "QqUnionId", "ResidentIdentityCard", "Version", "WeComUserId",
		"WechatOpenId", "WechatUnionId", "Zone"}
	for _, k := range nulls {
		if string(u[k]) != "null" {
			t.Errorf("%s = %s, want null", k, u[k])
		}
	}
	for _, k := range []string{"UserGroups", "CustomAttributes", "UserOrgs"} {
		if string(u[k]) != "[]" {
			t.Errorf("%s = %s, want []", k, u[k])
		}
	}
	if len(u) != 43 {
		t.Errorf("User has %d keys, want 43 (45 fields less the omitted UserGroupNames, WeComUserOrgs)", len(u))
	}
}

func TestCreateUserErrors(t *testing.T) {
	r := start(t, func(c *emulator.Config) {
		c.UserOrgs = []string{org1}
		c.Patterns.Email = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	})
	c := demoClient(r)
	createUser(t, c, userReq(1))
	with := func(edit func(m map[string]any)) map[string]any {
		b, _ := json.Marshal(userReq(2))
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		edit(m)
		return m
	}
	tests := []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"phone empty", with(func(m map[string]any) { m["PhoneNumber"] = "" }), emulator.CodePhoneNumberIsNull},
		{"email absent", with(func(m map[string]any) { delete(m, "Email") }), emulator.CodeEmailIsNull},
		{"password null", with(func(m map[string]any) { m["Password"] = nil }), emulator.CodePasswordIsNull},
		{"user name blank", with(func(m map[string]any) { m["UserName"] = "  " }), emulator.CodeUserNameIsNull},
		{"two missing, phone first", with(func(m map[string]any) { delete(m, "UserName"); delete(m, "PhoneNumber") }), emulator.CodePhoneNumberIsNull},
		{"store absent", with(func(m map[string]any) { delete(m, "UserStoreId") }), emulator.CodeMissingParameter},
		{"store empty", with(func(m map[string]any) { m["UserStoreId"] = "" }), emulator.CodeInvalidUserStore},
		{"store unknown", with(func(m map[string]any) { m["UserStoreId"] = "0000" }), emulator.CodeInvalidUserStore},
		{"user name taken", with(func(m map[string]any) { m["UserName"] = "user1" }), emulator.CodeUserNameAlreadyExists},
		{"phone taken", with(func(m map[string]any) { m["PhoneNumber"] = userReq(1).PhoneNumber }), emulator.CodePhoneNumberExists},
		{"email taken", with(func(m map[string]any) { m["Email"] = userReq(1).Email }), emulator.CodeEmailAlreadyExists},
		{"all taken, user name first", userParams(userReq(1)), emulator.CodeUserNameAlreadyExists},
		{"phone and email taken, phone first", with(func(m map[string]any) {
			m["PhoneNumber"], m["Email"] = userReq(1).PhoneNumber, userReq(1).Email
		}), emulator.CodePhoneNumberExists},
		{"indexed attribute 513", with(func(m map[string]any) { m["IndexedAttribute3"] = strings.Repeat("x", 513) }), emulator.CodeIndexedAttributeTooLong},
		{"unknown group", with(func(m map[string]any) { m["UserGroup"] = []any{group1, "nope"} }), emulator.CodeUserGroupNotFound},
		{"unknown org", with(func(m map[string]any) { m["UserOrg"] = []any{"nope"} }), emulator.CodeOrgNotFound},
		{"attribute empty name", with(func(m map[string]any) { m["CustomizationAttributes"] = []any{map[string]any{"Name": "", "Value": "v"}} }), emulator.CodeAttributeFormatError},
		{"attribute repeated", with(func(m map[string]any) {
			m["CustomizationAttributes"] = []any{map[string]any{"Name": "a", "Value": "1"}, map[string]any{"Name": "a", "Value": "2"}}
		}), emulator.CodeAttributeFormatError},
		{"attribute no value", with(func(m map[string]any) { m["CustomizationAttributes"] = []any{map[string]any{"Name": "a"}} }), emulator.CodeAttributeFormatError},
		{"attribute bad type", with(func(m map[string]any) {
			m["CustomizationAttributes"] = []any{map[string]any{"Name": "a", "Value": "1", "Type": "INT"}}
		}), emulator.CodeAttributeFormatError},
		{"attribute null", with(func(m map[string]any) { m["CustomizationAttributes"] = []any{nil} }), emulator.CodeAttributeFormatError},
		{"email pattern", with(func(m map[string]any) { m["Email"] = "not-an-email" }), emulator.CodeAttributeFormatError},
		{"unknown key", with(func(m map[string]any) { m["Foo"] = 1 }), emulator.CodeUnknownParameter},
		{"key case differs", with(func(m map[string]any) { m["username"] = "x" }), emulator.CodeUnknownParameter},
		{"nested unknown key", with(func(m map[string]any) {
			m["CustomizationAttributes"] = []any{map[string]any{"Name": "a", "Value": "1", "Kind": "x"}}
		}), emulator.CodeUnknownParameter},
		{"birthdate string", with(func(m map[string]any) { m["Birthdate"] = "2024-01-01" }), emulator.CodeInvalidParameter},
		{"birthdate fraction", with(func(m map[string]any) { m["Birthdate"] = 1.5 }), emulator.CodeInvalidParameter},
		{"group not a list", with(func(m map[string]any) { m["UserGroup"] = group1 }), emulator.CodeInvalidParameter},
		{"user name number", with(func(m map[string]any) { m["UserName"] = 7 }), emulator.CodeInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := send(c, ciam.ActionCreateUser, tt.params)
			if got := code(t, err); got != tt.want {
				t.Errorf("code = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
	if n := len(r.Server.Users(store)); n != 1 {
		t.Errorf("store holds %d users after rejected calls, want 1", n)
	}
}

func userParams(req ciam.CreateUserRequest) map[string]any {
	b, _ := json.Marshal(req)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func TestCreateUserQuotaLimitExceeded(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.MaxUsersPerStore = 1 })
	c := demoClient(r)
	createUser(t, c, userReq(1))
	_, err := send(c, ciam.ActionCreateUser, userReq(2))
	if got := code(t, err); got != emulator.CodeQuotaLimitExceeded {
		t.Fatalf("code = %q, want %q", got, emulator.CodeQuotaLimitExceeded)
	}
}

// TestCreateUserConcurrentDuplicates sends the same user from many clients
// at once: exactly one wins.
func TestCreateUserConcurrentDuplicates(t *testing.T) {
	r := start(t)
	var wg sync.WaitGroup
	codes := make([]string, 16)
	for i := range codes {
		wg.Go(func() {
			_, err := send(demoClient(r), ciam.ActionCreateUser, userReq(7))
			codes[i] = codeOf(err)
		})
	}
	wg.Wait()
	wins := 0
	for _, c := range codes {
		switch c {
		case "":
			wins++
		case emulator.CodeUserNameAlreadyExists:
		default:
			t.Errorf("unexpected code %q", c)
		}
	}
	if wins != 1 || len(r.Server.Users(store)) != 1 || r.Server.CreateCalls("user7") != len(codes) {
		t.Errorf("wins %d, users %d, calls %d", wins, len(r.Server.Users(store)), r.Server.CreateCalls("user7"))
	}
}
